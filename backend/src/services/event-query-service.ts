import { EVENT_COUNT_CAP, type TEventListRequest, type TEventListResponse, type TStoredEvent } from '@pulse/shared/events';
import { AppError } from '../errors/app-error.ts';
import type { EventFilter, EventPosition, EventQueryRepository, StoredEventRecord } from '../repositories/event-query-repository.ts';
import { readFailure, type DatabaseReads } from './database-reads.ts';

/** Rows fetched per query while a page fills: a page stops at its byte budget, so it is read in parts. */
const ROWS_PER_QUERY = 250;
const DEFAULT_MAX_PAGE_BYTES = 4 * 1024 * 1024;

export interface EventQueryOptions {
  /** A page stops adding events once their JSON reaches this many bytes, and hands back a cursor (EXPORT_MAX_BYTES). */
  maxPageBytes?: number;
}

/**
 * The event log: newest first, filtered, cursor-paginated on (ts, id) so pages never skip or repeat. Every page
 * holds one connection of its tenant's share (exports are the heaviest reads there are) and at most
 * `maxPageBytes` of events, whatever limit was asked for.
 */
export class EventQueryService {
  private readonly maxPageBytes: number;

  constructor(
    private readonly events: EventQueryRepository,
    private readonly reads: DatabaseReads,
    options: EventQueryOptions = {},
  ) {
    this.maxPageBytes = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  }

  async list(tenantId: number, request: TEventListRequest): Promise<TEventListResponse> {
    const after = request.cursor ? decodeCursor(request.cursor) : null;
    const filter = {
      name: request.name,
      userId: request.userId,
      sessionId: request.sessionId,
      pathContains: request.pathContains,
      from: request.from ? new Date(request.from) : undefined,
      to: request.to ? new Date(request.to) : undefined,
    };
    try {
      return await this.reads.holding(tenantId, 1, async () => {
        const page = await this.page(tenantId, filter, after, request.limit ?? 50);
        if (after) return page;
        // The first page says how many match; a short last page already knows.
        const counted =
          page.nextCursor === null ? page.events.length : await this.reads.query(() => this.events.countUpTo(tenantId, filter, EVENT_COUNT_CAP + 1));
        return { ...page, matching: { count: Math.min(counted, EVENT_COUNT_CAP), atLeast: counted > EVENT_COUNT_CAP } };
      });
    } catch (error) {
      throw readFailure(error);
    }
  }

  async recent(tenantId: number, limit: number): Promise<TStoredEvent[]> {
    try {
      return (await this.reads.run(tenantId, 1, () => this.events.list(tenantId, {}, null, limit))).map(toStoredEvent);
    } catch (error) {
      throw readFailure(error);
    }
  }

  /** Up to `limit` events after `after`, read a part at a time until the limit or the byte budget is reached. */
  private async page(tenantId: number, filter: EventFilter, after: EventPosition | null, limit: number): Promise<TEventListResponse> {
    const events: TStoredEvent[] = [];
    let bytes = 0;
    let position = after;
    for (;;) {
      const wanted = Math.min(limit - events.length, ROWS_PER_QUERY);
      // One more than wanted tells whether there is more without another query.
      const records = await this.reads.query(() => this.events.list(tenantId, filter, position, wanted + 1));
      for (const [index, record] of records.slice(0, wanted).entries()) {
        const event = toStoredEvent(record);
        events.push(event);
        position = { ts: record.ts, id: record.id };
        bytes += Buffer.byteLength(JSON.stringify(event));
        const isLast = index === records.length - 1;
        if (bytes >= this.maxPageBytes) return { events, nextCursor: isLast ? null : encodeCursor(position) };
      }
      const more = records.length > wanted;
      if (!more) return { events, nextCursor: null };
      if (events.length >= limit) return { events, nextCursor: encodeCursor(position!) };
    }
  }
}

function encodeCursor(position: EventPosition): string {
  return Buffer.from(`${position.ts.toISOString()}|${position.id}`).toString('base64url');
}

const MAX_EVENT_ID = 2n ** 63n - 1n;

/** Exactly what encodeCursor writes: a forged one could hold a date or an id PostgreSQL's types cannot take. */
function decodeCursor(cursor: string): EventPosition {
  const [ts = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const isOurs =
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(ts) &&
    !Number.isNaN(Date.parse(ts)) &&
    new Date(ts).toISOString() === ts &&
    /^\d{1,19}$/.test(id) &&
    BigInt(id) <= MAX_EVENT_ID;
  if (!isOurs) throw new AppError('BAD_REQUEST', 'the cursor is not one this server handed out; start again without a cursor');
  return { ts: new Date(ts), id: BigInt(id) };
}

function toStoredEvent(record: StoredEventRecord): TStoredEvent {
  return {
    ...record,
    id: record.id.toString(),
    properties: (record.properties ?? {}) as Record<string, unknown>,
    ts: record.ts.toISOString(),
    receivedAt: record.receivedAt.toISOString(),
  };
}
