import { randomBytes } from 'node:crypto';
import type { RedisConnection } from '../redis/redis-client.ts';
import type { DeadLetter, DeadLetterCounts, DrainResult, Spool, SpoolVerdict } from './spool.ts';

const ENTRIES_PER_READ = 100;
/** A drain lock outlives a crashed drainer by this much at most; every read renews it. */
const LOCK_TTL_MS = 30_000;

/** Deletes the lock only if this drainer still holds it. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * The spool as a Redis Stream (durable with AOF, as docker-compose.yml runs Redis). Draining takes a lock
 * so that one instance replays at a time; replays are idempotent anyway (events are keyed by message id),
 * so a lock lost to a pause costs repeated work, never duplicates. Keys share one hash tag (cluster-safe).
 */
export class RedisStreamSpool implements Spool {
  private readonly streamKey: string;
  private readonly deadLetterKey: string;
  /** Acknowledged events in the dead-letter stream (its entries hold payloads of any size). */
  private readonly deadLetterEventsKey: string;
  private readonly lockKey: string;

  constructor(
    private readonly redis: RedisConnection,
    keyPrefix: string,
  ) {
    this.streamKey = `${keyPrefix}{spool}:events`;
    this.deadLetterKey = `${keyPrefix}{spool}:dead-letter`;
    this.deadLetterEventsKey = `${keyPrefix}{spool}:dead-letter-events`;
    this.lockKey = `${keyPrefix}{spool}:drain-lock`;
  }

  async append(payload: string): Promise<void> {
    await this.redis.xadd(this.streamKey, '*', 'payload', payload);
  }

  depth(): Promise<number> {
    return this.redis.xlen(this.streamKey);
  }

  async drainOnce(handle: (payload: string) => Promise<SpoolVerdict>): Promise<DrainResult> {
    const result: DrainResult = { drained: 0, deadLettered: 0, skipped: false };
    const token = randomBytes(8).toString('hex');
    if ((await this.redis.set(this.lockKey, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') return { ...result, skipped: true };
    try {
      for (;;) {
        const entries = await this.redis.xrange(this.streamKey, '-', '+', 'COUNT', ENTRIES_PER_READ);
        if (entries.length === 0) return result;
        // A page is handed on at once: the replays coalesce into a few group commits instead of one each.
        const verdicts = await Promise.allSettled(entries.map(([, fields]) => handle(payloadOf(fields))));
        let failure: PromiseRejectedResult | undefined;
        for (const [index, verdict] of verdicts.entries()) {
          const [id] = entries[index]!;
          if (verdict.status === 'rejected') {
            failure ??= verdict;
            continue;
          }
          const { deadLetter } = verdict.value;
          if (deadLetter) {
            await this.setAside(deadLetter, id);
            result.deadLettered += 1;
          }
          result.drained += 1;
          await this.redis.xdel(this.streamKey, id);
        }
        if (failure) throw failure.reason;
        if ((await this.redis.eval(RENEW_SCRIPT, 1, this.lockKey, token, LOCK_TTL_MS)) !== 1) return result;
      }
    } finally {
      await this.redis.eval(RELEASE_SCRIPT, 1, this.lockKey, token).catch(() => {});
    }
  }

  async deadLetters(): Promise<DeadLetterCounts> {
    const [entries, events] = await Promise.all([this.redis.xlen(this.deadLetterKey), this.redis.get(this.deadLetterEventsKey)]);
    return { entries, events: Number(events ?? 0) };
  }

  /** The oldest dead letters, without their payloads: when, why, how many events. */
  async peekDeadLetters(count: number): Promise<Array<{ id: string; reason: string; events: number }>> {
    const entries = await this.redis.xrange(this.deadLetterKey, '-', '+', 'COUNT', count);
    return entries.map(([id, fields]) => ({ id, reason: fieldOf(fields, 'reason') ?? 'unknown', events: Number(fieldOf(fields, 'events') ?? 0) }));
  }

  async requeueDeadLetters(): Promise<DeadLetterCounts> {
    const moved: DeadLetterCounts = { entries: 0, events: 0 };
    for (;;) {
      const entries = await this.redis.xrange(this.deadLetterKey, '-', '+', 'COUNT', ENTRIES_PER_READ);
      if (entries.length === 0) return moved;
      for (const [id, fields] of entries) {
        const events = Number(fieldOf(fields, 'events') ?? 0);
        // One slot ({spool}), so the move is atomic on a cluster too: never in both streams, never in neither.
        await this.redis
          .multi()
          .xadd(this.streamKey, '*', 'payload', payloadOf(fields))
          .xdel(this.deadLetterKey, id)
          .decrby(this.deadLetterEventsKey, events)
          .exec();
        moved.entries += 1;
        moved.events += events;
      }
    }
  }

  private async setAside(deadLetter: DeadLetter, spooledAs: string): Promise<void> {
    await this.redis
      .multi()
      .xadd(this.deadLetterKey, '*', 'payload', deadLetter.payload, 'reason', deadLetter.reason, 'events', String(deadLetter.events), 'spooledAs', spooledAs)
      .incrby(this.deadLetterEventsKey, deadLetter.events)
      .exec();
  }
}

function fieldOf(fields: string[], name: string): string | undefined {
  const index = fields.indexOf(name);
  return index >= 0 && index % 2 === 0 ? fields[index + 1] : undefined;
}

function payloadOf(fields: string[]): string {
  return fieldOf(fields, 'payload') ?? '';
}
