import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '../infra/logger.ts';
import type { VisitorSaltRepository } from '../repositories/visitor-salt-repository.ts';

/** An id for a visitor who sent none, from what the request says of them. */
export type CookielessVisitorId = (tenantId: number, clientAddress: string, userAgent: string) => string;

/** Prefix of derived ids, so the event log can tell them from ids a client chose. */
export const COOKIELESS_ID_PREFIX = 'cl_';

/**
 * Cookieless visitor ids, as Plausible and Umami count visitors without cookies: a hash of the day's random salt,
 * the tenant, the client's address and its user agent. The salt is shared by every instance (so one visitor is
 * one id wherever they land) and deleted when its day is over: nobody, the operator included, can recompute an
 * id afterwards or link a visitor across days.
 */
/** How long an instance-local salt (taken while the database is out) is used before the shared one is asked again. */
const LOCAL_SALT_MS = 30_000;

export class VisitorIdService {
  private current: { day: string; salt: Promise<Buffer>; localUntil?: number } | null = null;
  private candidate: { day: string; salt: Buffer } | null = null;

  constructor(
    private readonly salts: Pick<VisitorSaltRepository, 'saltOfDay'>,
    /** Runs a database call through its circuit breaker. */
    private readonly guard: <T>(call: () => Promise<T>) => Promise<T>,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /** The id function for events received at `receivedAt` (its UTC day's salt). */
  async forDay(receivedAt: Date): Promise<CookielessVisitorId> {
    const salt = await this.saltOf(receivedAt.toISOString().slice(0, 10));
    return (tenantId, clientAddress, userAgent) =>
      COOKIELESS_ID_PREFIX + createHash('sha256').update(salt).update(`${tenantId}\n${clientAddress}\n${userAgent}`).digest('base64url').slice(0, 22);
  }

  private saltOf(day: string): Promise<Buffer> {
    const current = this.current;
    if (current?.day === day && (current.localUntil === undefined || Date.now() < current.localUntil)) return current.salt;
    const entry: { day: string; salt: Promise<Buffer>; localUntil?: number } = {
      day,
      salt: this.loadSalt(day).then(({ salt, local }) => {
        if (local) entry.localUntil = Date.now() + LOCAL_SALT_MS;
        return salt;
      }),
    };
    this.current = entry;
    return entry.salt;
  }

  /** The day's shared salt, or (`local`) this instance's own while the database cannot give it. */
  private async loadSalt(day: string): Promise<{ salt: Buffer; local: boolean }> {
    // One candidate per day and instance: while the database stays out, this instance's ids stay stable.
    if (this.candidate?.day !== day) this.candidate = { day, salt: randomBytes(32) };
    const candidate = this.candidate.salt;
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const salt = await this.guard(() => this.salts.saltOfDay(day, candidate));
        if (salt) return { salt, local: false };
      }
      throw new Error('no salt was stored for the day after three attempts');
    } catch (error) {
      // Events are still taken while the database is out: for a while this instance's ids differ from the
      // others' (a visitor may count twice), which is better than refusing events. Then the shared salt is asked again.
      this.logger.warn({ err: error, day }, 'the shared visitor salt is unavailable; using an instance-local one for 30 s');
      return { salt: candidate, local: true };
    }
  }
}
