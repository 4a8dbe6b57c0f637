/** A piece of CPU-heavy work in progress: it calls `pauseIfDue` between steps. */
export interface ScheduledWork {
  /** Null while this turn's share lasts; otherwise a promise that resolves when the work may go on. */
  pauseIfDue(): Promise<void> | null;
}

export interface TurnSchedulerOptions {
  /** CPU time the queued work may take per work turn. */
  budgetMs: number;
  /** Event-loop iterations left to I/O alone between two work turns (asked before each). */
  freeTurns: () => number;
  now?: () => number;
}

/**
 * Shares the event loop between CPU-heavy work (checking a batch of events) and I/O: queued work runs one
 * piece at a time, oldest first, for at most `budgetMs` per work turn, and then the loop may go round
 * `freeTurns()` times with nothing to run but I/O before the next work turn.
 *
 * Why: libuv takes one new connection per loop iteration (measured on Node 20, libuv 1.46), so under a spike the iterations
 * per second bound how fast connections are taken — and with them how fast the surplus can be refused; the
 * rest waits unseen in the kernel. Measured with `npm run bench`'s spike: each request yielding on its own
 * (a setImmediate per 1 ms slice) made one iteration as long as all the requests in progress (15–25
 * iterations a second, half over 40 ms) and refusals took seconds; with this scheduler they take tens of
 * milliseconds. An iteration with no work costs microseconds. Oldest first also finishes each request as soon
 * as possible, where round-robin slices finished them all late together.
 */
export class TurnScheduler {
  private readonly waiting: Array<() => void> = [];
  private running = false;
  private turnStartedAt = Number.NEGATIVE_INFINITY;
  private turnScheduled = false;
  private readonly now: () => number;

  constructor(private readonly options: TurnSchedulerOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Runs `work` when its turn comes (after the work queued before it) and resolves with its result. */
  async run<T>(work: (scheduled: ScheduledWork) => T | Promise<T>): Promise<T> {
    await this.wait(false);
    try {
      return await work({ pauseIfDue: () => (this.budgetSpent() ? this.wait(true) : null) });
    } finally {
      this.running = false;
      this.startNext();
    }
  }

  private budgetSpent(): boolean {
    return this.now() - this.turnStartedAt >= this.options.budgetMs;
  }

  /** Queues the caller (paused work goes back to the front: it is the oldest) and hands the CPU on. */
  private wait(paused: boolean): Promise<void> {
    return new Promise((resolve) => {
      if (paused) {
        this.waiting.unshift(resolve);
        this.running = false;
      } else {
        this.waiting.push(resolve);
      }
      this.startNext();
    });
  }

  private startNext(): void {
    if (this.running || this.waiting.length === 0) return;
    if (!this.budgetSpent()) {
      this.running = true;
      this.waiting.shift()!();
      return;
    }
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    let freeTurns = this.options.freeTurns();
    const nextTurn = () => {
      if (freeTurns > 0) {
        freeTurns -= 1;
        setImmediate(nextTurn);
        return;
      }
      this.turnScheduled = false;
      this.turnStartedAt = this.now();
      this.startNext();
    };
    setImmediate(nextTurn);
  }
}
