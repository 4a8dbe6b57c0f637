import { LIVE_DELTA_MAX_EVENTS, type TLiveAlertChange, type TLiveDelta } from '@pulse/shared/live';
import { AppError } from '../errors/app-error.ts';
import { compareLiveIds, isLiveId, type LiveEntry, type LiveLog } from '../infra/live/live-log.ts';
import type { PubSub } from '../infra/pubsub/pubsub.ts';
import type { EventRow } from '../repositories/event-repository.ts';
import { tenantTag } from './cache-keys.ts';

const PAGE = 500;

type Listener = (entry: LiveEntry) => void;

/** A subscriber's entries heard but not yet taken, and how to wake it when one arrives. */
interface Inbox {
  entries: LiveEntry[];
  wake: (() => void) | null;
}

/** This instance's reader of one tenant's log, shared by all its local subscribers. */
interface Tail {
  lastId: string | null;
  listeners: Set<Listener>;
  ready: Promise<() => Promise<void>>;
  reading: Promise<void>;
}

/**
 * Live updates per tenant. A commit is appended to the tenant's live log and announced on pub/sub (so every
 * instance hears it); each instance keeps one reader per tenant that fetches new entries in id order and hands
 * them to its subscribers. A subscriber that comes back with the last id it saw first gets what it missed from
 * the log, then the live entries after it: in order, each once.
 */
export class LiveService {
  private readonly tails = new Map<number, Tail>();
  private closed = false;
  /** Wakes every waiting subscriber (at close), without a listener per subscriber on one shared signal. */
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly log: LiveLog,
    private readonly pubsub: PubSub,
    private readonly channelPrefix: string,
  ) {}

  /** Records what a commit added (only the rows that were new) and tells every instance. */
  async publish(tenantId: number, stored: readonly EventRow[], committedAt = new Date()): Promise<void> {
    if (stored.length === 0) return;
    const id = await this.log.append(tenantId, JSON.stringify(liveDeltaOf(stored, committedAt)));
    await this.pubsub.publish(this.channel(tenantId), id);
  }

  /** Tells the tenant's live streams that alert rules changed state (a delta with no events). */
  async publishAlertChanges(tenantId: number, alerts: readonly TLiveAlertChange[], at = new Date()): Promise<void> {
    if (alerts.length === 0) return;
    const delta: TLiveDelta = { committedAt: at.toISOString(), accepted: 0, byType: [], events: [], alerts: [...alerts] };
    const id = await this.log.append(tenantId, JSON.stringify(delta));
    await this.pubsub.publish(this.channel(tenantId), id);
  }

  /**
   * Deltas after `lastEventId` (or from now, without one) until `signal` aborts or the service closes. It
   * resolves once this instance hears the tenant's commits, so a stream opened after it misses none; iterate
   * what it returns (that is what lets go of the subscription at the end).
   */
  async subscribe(tenantId: number, lastEventId: string | null, signal: AbortSignal): Promise<AsyncGenerator<{ id: string; delta: TLiveDelta }>> {
    if (lastEventId !== null && !isLiveId(lastEventId)) {
      throw new AppError('BAD_REQUEST', `lastEventId "${lastEventId}" is not an id this stream sent; subscribe without it to start from now`);
    }
    const inbox: Inbox = { entries: [], wake: null };
    const detach = await this.attach(tenantId, (entry) => {
      inbox.entries.push(entry);
      inbox.wake?.();
    });
    return this.follow(tenantId, lastEventId, signal, inbox, detach);
  }

  private async *follow(
    tenantId: number,
    lastEventId: string | null,
    signal: AbortSignal,
    inbox: Inbox,
    detach: () => Promise<void>,
  ): AsyncGenerator<{ id: string; delta: TLiveDelta }> {
    const onStop = () => inbox.wake?.();
    signal.addEventListener('abort', onStop);
    this.wakers.add(onStop);
    try {
      let last = lastEventId;
      // What was missed while away comes from the log; live entries that overlap it are skipped below.
      if (lastEventId !== null) {
        for await (const entry of this.entriesAfter(tenantId, lastEventId)) {
          last = entry.id;
          yield { id: entry.id, delta: JSON.parse(entry.payload) as TLiveDelta };
        }
      }
      while (!signal.aborted && !this.closed) {
        const entry = inbox.entries.shift();
        if (!entry) {
          await new Promise<void>((resolve) => (inbox.wake = resolve));
          inbox.wake = null;
          continue;
        }
        if (last !== null && compareLiveIds(entry.id, last) <= 0) continue;
        last = entry.id;
        yield { id: entry.id, delta: JSON.parse(entry.payload) as TLiveDelta };
      }
    } finally {
      signal.removeEventListener('abort', onStop);
      this.wakers.delete(onStop);
      await detach();
    }
  }

  /** Ends every subscription (at shutdown), so open streams do not hold the server open. */
  close(): void {
    this.closed = true;
    for (const wakeUp of this.wakers) wakeUp();
  }

  private async attach(tenantId: number, listener: Listener): Promise<() => Promise<void>> {
    let tail = this.tails.get(tenantId);
    if (!tail) {
      const created: Tail = { lastId: null, listeners: new Set(), reading: Promise.resolve(), ready: null! };
      created.ready = (async () => {
        const unsubscribe = await this.pubsub.subscribe(this.channel(tenantId), () => this.readTail(tenantId, created));
        created.lastId = await this.log.latestId(tenantId);
        return unsubscribe;
      })();
      this.tails.set(tenantId, created);
      tail = created;
    }
    const attached = tail;
    attached.listeners.add(listener);
    await attached.ready;
    return async () => {
      attached.listeners.delete(listener);
      if (attached.listeners.size > 0 || this.tails.get(tenantId) !== attached) return;
      this.tails.delete(tenantId);
      await (
        await attached.ready
      )();
    };
  }

  /** Fetches what is new in the tenant's log, in order, one read at a time; a failed read is retried on the next announcement. */
  private readTail(tenantId: number, tail: Tail): void {
    tail.reading = tail.reading
      .then(async () => {
        await tail.ready;
        for await (const entry of this.entriesAfter(tenantId, tail.lastId)) {
          tail.lastId = entry.id;
          for (const listener of tail.listeners) listener(entry);
        }
      })
      .catch(() => {});
  }

  /** Every entry after `afterId`, oldest first, read a page at a time. */
  private async *entriesAfter(tenantId: number, afterId: string | null): AsyncGenerator<LiveEntry> {
    for (let cursor = afterId; ;) {
      const page = await this.log.after(tenantId, cursor, PAGE);
      for (const entry of page) {
        cursor = entry.id;
        yield entry;
      }
      if (page.length < PAGE) return;
    }
  }

  private channel(tenantId: number): string {
    return `${this.channelPrefix}live:${tenantTag(tenantId)}`;
  }
}

function liveDeltaOf(rows: readonly EventRow[], committedAt: Date): TLiveDelta {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.name, (counts.get(row.name) ?? 0) + 1);
  const newestFirst = [...rows].sort((a, b) => b.ts.getTime() - a.ts.getTime()).slice(0, LIVE_DELTA_MAX_EVENTS);
  return {
    committedAt: committedAt.toISOString(),
    accepted: rows.length,
    byType: [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    events: newestFirst.map((row) => ({
      messageId: row.messageId,
      type: row.type,
      name: row.name,
      userId: row.userId,
      path: row.path,
      country: row.country,
      device: row.device,
      ts: row.ts.toISOString(),
    })),
  };
}
