import { EVENT_COUNT_CAP, type TEventListRequest, type TEventListResponse, type TStoredEvent } from '@pulse/shared/events';
import type { EventFilter, EventPosition, EventQueryRepository, StoredEventRecord } from '../repositories/event-query-repository.ts';
import { readFailure, type DatabaseReads } from './database-reads.ts';
import { decodeEventCursor, encodeEventCursor } from './event-cursor.ts';

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
    const after = request.cursor ? decodeEventCursor(request.cursor) : null;
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
        if (bytes >= this.maxPageBytes) return { events, nextCursor: isLast ? null : encodeEventCursor(position) };
      }
      const more = records.length > wanted;
      if (!more) return { events, nextCursor: null };
      if (events.length >= limit) return { events, nextCursor: encodeEventCursor(position!) };
    }
  }
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
