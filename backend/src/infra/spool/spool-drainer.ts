import type { Logger } from '../logger.ts';
import type { Spool, SpoolVerdict } from './spool.ts';

export interface SpoolDrainerOptions {
  /** How often to look for spooled payloads (an XLEN when there are none). */
  intervalMs: number;
  /** False while the write path is known to be out (its breaker is open): no pass is tried. */
  canDrain: () => boolean;
  logger: Pick<Logger, 'info'>;
}

/**
 * Replays the spool in the background: every `intervalMs`, and at once when `trigger` is called (the write
 * breaker closed). One pass at a time in this process; the spool's lock keeps it to one across instances.
 */
export class SpoolDrainer {
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private again = false;
  private readonly totals = { replayed: 0, dead_lettered: 0 };

  constructor(
    private readonly spool: Spool,
    private readonly handle: (payload: string) => Promise<SpoolVerdict>,
    private readonly options: SpoolDrainerOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.trigger(), this.options.intervalMs);
    this.timer.unref();
    this.trigger();
  }

  trigger(): void {
    if (this.pass) {
      this.again = true;
      return;
    }
    this.pass = this.drainWhileAsked().finally(() => {
      this.pass = null;
    });
  }

  /** Spooled requests this instance handled since it started: replayed into PostgreSQL, or with events set aside. */
  counts(): Record<string, number> {
    return { ...this.totals };
  }

  /** Stops the timer and waits for a pass in progress, so none outlives the connections it uses. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.again = false;
    await this.pass;
  }

  private async drainWhileAsked(): Promise<void> {
    do {
      this.again = false;
      if (!this.options.canDrain()) return;
      try {
        if ((await this.spool.depth()) === 0) continue;
        const result = await this.spool.drainOnce(this.handle);
        this.totals.replayed += result.drained - result.deadLettered;
        this.totals.dead_lettered += result.deadLettered;
        if (result.drained + result.deadLettered > 0) {
          this.options.logger.info({ drained: result.drained, deadLettered: result.deadLettered, left: await this.spool.depth() }, 'spool replayed');
        }
      } catch {
        // The database (or Redis) is still out: the payloads stay spooled for the next pass.
      }
    } while (this.again);
  }
}
