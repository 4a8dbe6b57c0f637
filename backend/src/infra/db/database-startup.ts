import type { Logger } from '../logger.ts';
import { DependencyUnavailableError, type Dependency } from '../breakers/breaker-registry.ts';
import { isPostgresOutage } from '../breakers/outages.ts';
import { MigrationError } from './migrator.ts';

export interface DatabaseStartupOptions {
  /** The first wait after a failed attempt; it doubles up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A failure that waiting cannot cure (a migration that does not apply): start-up stops and `ready` rejects. */
  isFatal: (error: unknown) => boolean;
  logger: Pick<Logger, 'warn' | 'info'>;
  now?: () => number;
}

/**
 * Gets the database ready (migrations, the first partitions) before anything may write to it, however long
 * PostgreSQL takes to answer: the server listens meanwhile, health says what it is waiting for, and the write
 * path treats the database as unavailable, so events go to the spool instead of an unmigrated schema.
 */
export class DatabaseStartup {
  /** Resolves once the database is ready; rejects only on a fatal failure or when stopped before. */
  readonly ready: Promise<void>;
  private isReady = false;
  private stopped = false;
  private waitingSince: number | null = null;
  private attempts = 0;
  private lastFailure = '';
  private nextAttemptAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private attempt: Promise<void> | null = null;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };
  private readonly now: () => number;

  constructor(
    private readonly prepare: () => Promise<void>,
    private readonly options: DatabaseStartupOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.ready = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Whoever starts the server may never await it (a server that is stopped while it waits).
    this.ready.catch(() => {});
  }

  /** Makes the first attempt now, and keeps trying with backoff until one succeeds. */
  start(): void {
    this.waitingSince = this.now();
    this.tryOnce(this.options.initialDelayMs);
  }

  get readyNow(): boolean {
    return this.isReady;
  }

  /** "ok", or what the instance is waiting for, for `/health/ready`. */
  describe(): string {
    if (this.isReady) return 'ok';
    if (this.attempts === 0) return 'connecting to PostgreSQL and applying migrations';
    const since = new Date(this.waitingSince!).toISOString();
    const nextInSeconds = Math.max(0, Math.ceil((this.nextAttemptAt - this.now()) / 1_000));
    return `waiting for PostgreSQL since ${since}: attempt ${this.attempts} failed (${this.lastFailure}); next in ${nextInSeconds} s`;
  }

  /** Throws the outage the callers already handle (events are spooled, reads answered 503) until ready. */
  assertReady(dependency: Dependency): void {
    if (this.isReady) return;
    throw new DependencyUnavailableError(dependency, 'failed', { cause: new Error(`the database is not ready: ${this.describe()}`) });
  }

  /** `write` that fails as an outage until the database is ready (the write path spools then). */
  guard<A extends unknown[], R>(dependency: Dependency, write: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args) => {
      this.assertReady(dependency);
      return write(...args);
    };
  }

  /** Stops retrying and waits for an attempt under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.attempt;
    if (!this.isReady) this.settle.reject(new Error('stopped before the database was ready'));
  }

  private tryOnce(delayMs: number): void {
    this.attempt = this.prepare().then(
      () => {
        this.isReady = true;
        if (this.attempts > 0) this.options.logger.info({ attempts: this.attempts + 1 }, 'PostgreSQL answers: migrations applied, the database is ready');
        this.settle.resolve();
      },
      (error: unknown) => {
        if (this.options.isFatal(error)) {
          this.settle.reject(error);
          return;
        }
        this.attempts += 1;
        this.lastFailure = error instanceof Error ? error.message : String(error);
        this.nextAttemptAt = this.now() + delayMs;
        this.options.logger.warn({ attempt: this.attempts, retryInMs: delayMs, reason: this.lastFailure }, 'PostgreSQL is not reachable yet; start-up retries');
        if (this.stopped) return;
        this.timer = setTimeout(() => this.tryOnce(Math.min(delayMs * 2, this.options.maxDelayMs)), delayMs);
        this.timer.unref();
      },
    );
  }
}

/**
 * Waiting cannot cure a migration that does not apply, wrong credentials or a missing database: PostgreSQL
 * answered, with a SQLSTATE outside the outage classes. Anything else (no answer, a dropped connection, a server
 * still starting) is retried.
 */
export function isFatalStartupError(error: unknown): boolean {
  if (error instanceof MigrationError) return error.cause === undefined || isFatalStartupError(error.cause);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !isPostgresOutage(error);
}
