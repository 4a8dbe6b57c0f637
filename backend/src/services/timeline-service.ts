import {
  TIMELINE_MAX_COUNTED,
  TIMELINE_MAX_LINKED_IDS,
  type TTimelineEvent,
  type TTimelineRequest,
  type TTimelineResponse,
  type TTimelineVisitor,
} from '@pulse/shared/timeline';
import type { TimelineEventRecord, TimelinePosition, TimelineRepository, VisitorMatch } from '../repositories/timeline-repository.ts';
import { readFailure, type DatabaseReads } from './database-reads.ts';
import { decodeEventCursor, encodeEventCursor } from './event-cursor.ts';
import { retentionDaysFor } from './retention.ts';

/** Rows fetched per query while a page fills: a page stops at its byte budget, so it is read in parts. */
const ROWS_PER_QUERY = 100;
const DEFAULT_MAX_PAGE_BYTES = 4 * 1024 * 1024;
const DEFAULT_LIMIT = 100;
const DAY_MS = 86_400_000;

export interface TimelineOptions {
  /** A page stops adding events once their JSON reaches this many bytes, and hands back a cursor (EXPORT_MAX_BYTES). */
  maxPageBytes?: number;
}

/**
 * One visitor's events, newest first, with when they were first and last seen. The id is taken as a user id
 * and as an anonymous id; a user id also brings the events without a user id of the anonymous ids seen with
 * it (what they did before signing in). Only events within the tenant's retention count: older ones are on
 * their way out, and leaving their days out spares planning every partition of the longest retention. Not
 * cached: a timeline is looked at for what the visitor just did, and it is a few index reads, unlike the
 * aggregates the cache spares. Pages are cut on (ts, id), so equal times neither repeat nor go missing, and
 * stop at the same byte budget as event-log exports.
 */
export class TimelineService {
  private readonly maxPageBytes: number;

  constructor(
    private readonly timeline: TimelineRepository,
    private readonly reads: DatabaseReads,
    options: TimelineOptions = {},
  ) {
    this.maxPageBytes = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  }

  async visitorTimeline(tenant: { id: number; plan: string }, request: TTimelineRequest): Promise<TTimelineResponse> {
    const before = request.cursor ? decodeEventCursor(request.cursor) : null;
    const limit = request.limit ?? DEFAULT_LIMIT;
    const tenantId = tenant.id;
    const since = new Date(Date.now() - retentionDaysFor(tenant.plan) * DAY_MS);
    try {
      return await this.reads.holding(tenantId, 1, async () => {
        const linkedAnonymousIds = await this.reads.query(() =>
          this.timeline.linkedAnonymousIds(tenantId, request.visitorId, since, TIMELINE_MAX_COUNTED, TIMELINE_MAX_LINKED_IDS),
        );
        const match: VisitorMatch = { visitorId: request.visitorId, linkedAnonymousIds, since };
        const page = await this.page(tenantId, match, before, limit);
        // A first page starts with the newest event; later pages ask for it.
        const newest = before ? (await this.reads.query(() => this.timeline.page(tenantId, match, null, 1)))[0] : page.records[0];
        if (!newest) return { visitor: null, events: [], nextCursor: null };
        const totals = await this.reads.query(() => this.timeline.totals(tenantId, match, TIMELINE_MAX_COUNTED + 1));
        const visitor: TTimelineVisitor = {
          id: request.visitorId,
          linkedAnonymousIds,
          firstSeen: (totals.firstSeen ?? newest.ts).toISOString(),
          lastSeen: newest.ts.toISOString(),
          eventCount: Math.min(totals.count, TIMELINE_MAX_COUNTED),
          eventCountIsCapped: totals.count > TIMELINE_MAX_COUNTED,
          country: newest.country,
          device: newest.device,
          browser: newest.browser,
          os: newest.os,
        };
        return { visitor, events: page.records.map(toTimelineEvent), nextCursor: page.nextCursor };
      });
    } catch (error) {
      throw readFailure(error);
    }
  }

  /** Up to `limit` events before `before`, read a part at a time until the limit or the byte budget is reached. */
  private async page(
    tenantId: number,
    match: VisitorMatch,
    before: TimelinePosition | null,
    limit: number,
  ): Promise<{ records: TimelineEventRecord[]; nextCursor: string | null }> {
    const records: TimelineEventRecord[] = [];
    let bytes = 0;
    let position = before;
    for (;;) {
      const wanted = Math.min(limit - records.length, ROWS_PER_QUERY);
      // One more than wanted tells whether there is more without another query.
      const part = await this.reads.query(() => this.timeline.page(tenantId, match, position, wanted + 1));
      for (const [index, record] of part.slice(0, wanted).entries()) {
        records.push(record);
        position = { ts: record.ts, id: BigInt(record.id) };
        bytes += Buffer.byteLength(JSON.stringify(toTimelineEvent(record)));
        if (bytes >= this.maxPageBytes) return { records, nextCursor: index === part.length - 1 ? null : encodeEventCursor(position) };
      }
      if (part.length <= wanted) return { records, nextCursor: null };
      if (records.length >= limit) return { records, nextCursor: encodeEventCursor(position!) };
    }
  }
}

function toTimelineEvent(record: TimelineEventRecord): TTimelineEvent {
  return {
    ...record,
    properties: record.properties ?? {},
    ts: record.ts.toISOString(),
    receivedAt: record.receivedAt.toISOString(),
  };
}
