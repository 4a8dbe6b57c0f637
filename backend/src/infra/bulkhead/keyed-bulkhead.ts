export interface KeyedBulkheadOptions {
  /** Units (connections) one key may hold at once. */
  perKey: number;
  /** Units all keys together may hold at once (at least perKey). */
  total: number;
  /** Calls of one key that may wait for a unit; past this a call is refused at once. */
  maxWaitingPerKey: number;
  /** The longest a call waits for its units before it is refused. */
  maxWaitMs: number;
}

/** A call found no room: its key already holds its share (or every unit is taken) and waiting did not help. */
export class BulkheadFullError extends Error {
  override name = 'BulkheadFullError';
  constructor(
    readonly key: string | number,
    readonly reason: 'queue-full' | 'waited-too-long',
  ) {
    super(`bulkhead full for ${key} (${reason === 'queue-full' ? 'too many calls waiting' : 'waited too long'})`);
  }
}

interface Waiter {
  key: string | number;
  units: number;
  grant: () => void;
}

/**
 * A weighted semaphore per key under one shared ceiling: no key can hold more than `perKey` units, all keys
 * together no more than `total`. Calls past a key's share wait in a short FIFO queue of that key's own, so a
 * key that floods only ever waits behind itself; a call another key could run is never held up by it.
 */
export class KeyedBulkhead {
  private readonly held = new Map<string | number, number>();
  private heldTotal = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly options: KeyedBulkheadOptions) {}

  /** Runs `task` once `units` (at most the key's share) are free for `key`; throws BulkheadFullError if they are not soon. */
  async run<T>(key: string | number, units: number, task: () => Promise<T>): Promise<T> {
    const weight = Math.max(1, Math.min(units, this.options.perKey, this.options.total));
    await this.acquire(key, weight);
    try {
      return await task();
    } finally {
      this.release(key, weight);
    }
  }

  /** Units `key` holds now. */
  inUse(key: string | number): number {
    return this.held.get(key) ?? 0;
  }

  private acquire(key: string | number, units: number): Promise<void> {
    const waitingForKey = this.waiting.filter((waiter) => waiter.key === key).length;
    if (waitingForKey === 0 && this.fits(key, units)) {
      this.take(key, units);
      return Promise.resolve();
    }
    if (waitingForKey >= this.options.maxWaitingPerKey) return Promise.reject(new BulkheadFullError(key, 'queue-full'));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        key,
        units,
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new BulkheadFullError(key, 'waited-too-long'));
        // A waiter that gave up may have blocked its key's later ones.
        this.grantWaiting();
      }, this.options.maxWaitMs);
      this.waiting.push(waiter);
    });
  }

  private release(key: string | number, units: number): void {
    const left = this.inUse(key) - units;
    if (left > 0) this.held.set(key, left);
    else this.held.delete(key);
    this.heldTotal -= units;
    this.grantWaiting();
  }

  /** Grants free units to waiters for as long as one fits. */
  private grantWaiting(): void {
    for (let next = this.nextToGrant(); next !== undefined; next = this.nextToGrant()) {
      this.waiting.splice(this.waiting.indexOf(next), 1);
      this.take(next.key, next.units);
      next.grant();
    }
  }

  /**
   * First come, first served within a key (a key whose first waiter does not fit keeps its later ones waiting
   * too); between keys, the one holding the fewest units goes first, so when every unit is taken a quiet key
   * gets the next one ahead of a flooding key's queue, however long that queue is.
   */
  private nextToGrant(): Waiter | undefined {
    const firstOfKey = new Map<string | number, Waiter>();
    for (const waiter of this.waiting) if (!firstOfKey.has(waiter.key)) firstOfKey.set(waiter.key, waiter);
    let next: Waiter | undefined;
    for (const waiter of firstOfKey.values()) {
      if (!this.fits(waiter.key, waiter.units)) continue;
      if (next === undefined || this.inUse(waiter.key) < this.inUse(next.key)) next = waiter;
    }
    return next;
  }

  private fits(key: string | number, units: number): boolean {
    return this.inUse(key) + units <= this.options.perKey && this.heldTotal + units <= this.options.total;
  }

  private take(key: string | number, units: number): void {
    this.held.set(key, this.inUse(key) + units);
    this.heldTotal += units;
  }
}

/**
 * A bulkhead over a connection pool of `poolSize`: one key may hold `keyShare` of it, all keys `totalShare`
 * (the rest stays free for other work); a key may have four times its share waiting, for up to `maxWaitMs`.
 */
export function poolBulkhead(poolSize: number, shares: { keyShare: number; totalShare: number; maxWaitMs: number }): KeyedBulkhead {
  const perKey = Math.max(1, Math.floor(poolSize * shares.keyShare));
  return new KeyedBulkhead({
    perKey,
    total: Math.max(perKey, Math.floor(poolSize * shares.totalShare)),
    maxWaitingPerKey: 4 * perKey,
    maxWaitMs: shares.maxWaitMs,
  });
}
