import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id (the package's default algorithm) with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane), hashed
 * on a worker thread, so sign-ins do not hold up the event loop.
 */
const ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes and checks passwords. The PHC string it returns carries its own parameters and salt. */
export class PasswordHasher {
  /** A hash of a password nobody knows: unknown emails are checked against it, so they cost what a wrong password costs. */
  private readonly decoy = hash(randomBytes(32).toString('base64url'), ARGON2ID);

  hash(password: string): Promise<string> {
    return hash(password, ARGON2ID);
  }

  /** Whether `password` matches `passwordHash`; with no hash (no such user), the same work, and false. */
  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    const matches = await verify(passwordHash ?? (await this.decoy), password).catch(() => false);
    return passwordHash !== null && matches;
  }
}
