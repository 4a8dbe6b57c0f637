import type { TEventListRequest, TEventListResponse, TStoredEvent } from '@pulse/shared/events';
import { AppError } from '../errors/app-error.ts';
import type { EventPosition, EventQueryRepository, StoredEventRecord } from '../repositories/event-query-repository.ts';

/** The event log: newest first, filtered, cursor-paginated on (ts, id) so pages never skip or repeat. */
export class EventQueryService {
  constructor(private readonly events: EventQueryRepository) {}

  async list(tenantId: number, request: TEventListRequest): Promise<TEventListResponse> {
    const limit = request.limit ?? 50;
    const after = request.cursor ? decodeCursor(request.cursor) : null;
    const filter = {
      name: request.name,
      userId: request.userId,
      sessionId: request.sessionId,
      pathContains: request.pathContains,
      from: request.from ? new Date(request.from) : undefined,
      to: request.to ? new Date(request.to) : undefined,
    };
    // One more than asked tells whether there is a next page without a second query.
    const records = await this.events.list(tenantId, filter, after, limit + 1);
    const page = records.slice(0, limit);
    const last = page.at(-1);
    return {
      events: page.map(toStoredEvent),
      nextCursor: records.length > limit && last ? encodeCursor({ ts: last.ts, id: last.id }) : null,
    };
  }

  async recent(tenantId: number, limit: number): Promise<TStoredEvent[]> {
    return (await this.events.list(tenantId, {}, null, limit)).map(toStoredEvent);
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
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(ts) && !Number.isNaN(Date.parse(ts)) && new Date(ts).toISOString() === ts && /^\d{1,19}$/.test(id) && BigInt(id) <= MAX_EVENT_ID;
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
