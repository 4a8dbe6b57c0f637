import { randomBytes } from 'node:crypto';
import { AppError } from '../errors/app-error.ts';
import type { PasswordHasher } from '../infra/auth/password-hasher.ts';
import type { UserRecord, UserRepository } from '../repositories/user-repository.ts';
import { hashSecret } from './api-key-service.ts';
import type { LoginLimits } from './login-limits.ts';

/** The one answer to a failed sign-in, whichever part was wrong. */
const WRONG_EMAIL_OR_PASSWORD = 'wrong email or password';
export const SIGN_IN_LINK_TTL_MS = 24 * 3_600_000;

/** People: created, signed in by password or one-time link, and their passwords changed. */
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly limits: LoginLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The user with this email and password. Unknown emails cost the same hashing work and are counted against
   * the same limits as wrong passwords, and both get the same answer: the response says nothing of who has an
   * account.
   */
  async authenticate(email: string, password: string, clientAddress: string): Promise<UserRecord> {
    await this.limits.assertAllowed(email, clientAddress);
    const user = await this.users.findByEmail(email);
    if (!(await this.hasher.verify(user?.passwordHash ?? null, password)) || !user) {
      await this.limits.recordFailure(email, clientAddress);
      throw new AppError('UNAUTHORIZED', WRONG_EMAIL_OR_PASSWORD);
    }
    await this.limits.recordSuccess(email);
    return user;
  }

  async hasUsers(): Promise<boolean> {
    return (await this.users.count()) > 0;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    return this.users.findByEmail(email);
  }

  async create(email: string, password: string): Promise<UserRecord> {
    const created = await this.users.create(email, await this.hasher.hash(password));
    if (!created) throw new AppError('CONFLICT', `there is already an account for ${email}; sign in with it instead`);
    return created;
  }

  /** Sets a user's password (the operator's reset, or the user's own change once checked). */
  async setPassword(userId: number, password: string): Promise<void> {
    await this.users.setPassword(userId, await this.hasher.hash(password), new Date(this.now()));
  }

  /** A user's own change: the current password first, so an unattended browser cannot take the account over. */
  async changePassword(userId: number, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user || !(await this.hasher.verify(user.passwordHash, currentPassword))) {
      throw new AppError('FORBIDDEN', 'your current password is not that one; nothing was changed');
    }
    await this.setPassword(userId, newPassword);
  }

  /** A one-time sign-in link's token for the user, valid for a day. */
  async createSignInLink(userId: number): Promise<{ token: string; expiresAt: Date }> {
    const token = `pl_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(this.now() + SIGN_IN_LINK_TTL_MS);
    await this.users.createSignInLink(userId, hashSecret(token), expiresAt);
    return { token, expiresAt };
  }

  /** The user a one-time link signs in; it works once. */
  async useSignInLink(token: string): Promise<number> {
    const userId = await this.users.useSignInLink(hashSecret(token), new Date(this.now()));
    if (userId === null) throw new AppError('UNAUTHORIZED', 'this sign-in link was used already or has expired; ask for a new one (a demo start prints one)');
    return userId;
  }
}
