import type pg from 'pg';
import type { EventRow } from './event-repository.ts';
import { Params } from './sql-params.ts';

/** Whose events a timeline holds: the id as a user id or an anonymous id, and anonymous ids seen with it. */
export interface VisitorMatch {
  visitorId: string;
  /** Anonymous ids seen on the user id's events: their events without a user id are the visitor's too. */
  linkedAnonymousIds: readonly string[];
  /** Events before this are past the tenant's retention: their partitions are not even planned for. */
  since: Date;
}

/** Where the previous page ended: events strictly older than this (ts, id) come next. */
export interface TimelinePosition {
  ts: Date;
  id: bigint;
}

/** A stored event as the timeline shows it: its row less tenant and campaign, with its server id and arrival. */
export type TimelineEventRecord = Omit<EventRow, 'tenantId' | 'referrerSource' | 'utmSource' | 'utmMedium' | 'utmCampaign' | 'properties'> & {
  id: string;
  properties: Record<string, unknown> | null;
  receivedAt: Date;
};

export interface VisitorTotals {
  /** Counted up to the cap asked for. */
  count: number;
  /** Null when there are no events. */
  firstSeen: Date | null;
}

// id is a bigint, which node-postgres hands over as a string.
const COLUMNS = `id, message_id AS "messageId", type, name, user_id AS "userId", anonymous_id AS "anonymousId",
  session_id AS "sessionId", path, referrer, device, browser, country, os, is_bot AS "isBot", properties, ts, received_at AS "receivedAt"`;

/**
 * One visitor's raw events. Their rows are found by disjoint conditions, each read through its own index
 * ((tenant_id, user_id, ts), (tenant_id, anonymous_id, ts)) in time order and merged: one OR over both columns
 * reads a bitmap of every match in every partition and sorts them all for each page.
 */
export class TimelineRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Anonymous ids on the user id's newest `scannedRows` events since `since`, most recently seen first. */
  async linkedAnonymousIds(tenantId: number, userId: string, since: Date, scannedRows: number, maxIds: number): Promise<string[]> {
    const params = new Params();
    const { rows } = await this.pool.query<{ anonymousId: string }>(
      `SELECT anonymous_id AS "anonymousId" FROM (
         SELECT anonymous_id, ts FROM events
          WHERE tenant_id = ${params.add(tenantId)} AND user_id = ${params.add(userId)} AND ts >= ${params.add(since)}
          ORDER BY ts DESC LIMIT ${params.add(scannedRows)}
       ) newest
        WHERE anonymous_id IS NOT NULL AND anonymous_id <> ${params.add(userId)}
        GROUP BY anonymous_id ORDER BY max(ts) DESC, anonymous_id LIMIT ${params.add(maxIds)}`,
      params.values,
    );
    return rows.map((row) => row.anonymousId);
  }

  /** Up to `limit` of the visitor's events older than `before`, newest first. */
  async page(tenantId: number, match: VisitorMatch, before: TimelinePosition | null, limit: number): Promise<TimelineEventRecord[]> {
    const params = new Params();
    const tail = `ORDER BY ts DESC, id DESC LIMIT ${params.add(limit)}`;
    let older = '';
    if (before) {
      const ts = params.add(before.ts);
      // `ts <= …` alone is what the indexes and partition pruning can use; the rest breaks ties on equal times.
      older = ` AND ts <= ${ts} AND (ts < ${ts} OR id < ${params.add(before.id.toString())}::bigint)`;
    }
    const branches = visitorBranches(params, tenantId, match, { columns: COLUMNS, where: older, tail });
    const { rows } = await this.pool.query<TimelineEventRecord>(`SELECT * FROM (${branches.join(' UNION ALL ')}) page ${tail}`, params.values);
    return rows;
  }

  /**
   * The visitor's events counted up to `maxCounted`, and their oldest time. Below the cap, the rows counted are
   * all of them and hold the oldest; past it, the oldest is looked up in time order.
   */
  async totals(tenantId: number, match: VisitorMatch, maxCounted: number): Promise<VisitorTotals> {
    const params = new Params();
    const cap = params.add(maxCounted);
    const counted = visitorBranches(params, tenantId, match, { columns: 'ts', where: '', tail: `LIMIT ${cap}` });
    const { rows } = await this.pool.query<{ count: string; firstSeen: Date | null }>(
      `SELECT count(*) AS count, min(ts) AS "firstSeen" FROM (SELECT ts FROM (${counted.join(' UNION ALL ')}) matched LIMIT ${cap}) capped`,
      params.values,
    );
    const count = Number(rows[0]!.count);
    if (count < maxCounted) return { count, firstSeen: rows[0]!.firstSeen };
    return { count, firstSeen: await this.oldest(tenantId, match) };
  }

  private async oldest(tenantId: number, match: VisitorMatch): Promise<Date | null> {
    const params = new Params();
    const firsts = visitorBranches(params, tenantId, match, { columns: 'ts', where: '', tail: 'ORDER BY ts LIMIT 1' });
    const { rows } = await this.pool.query<{ firstSeen: Date | null }>(
      `SELECT min(ts) AS "firstSeen" FROM (${firsts.join(' UNION ALL ')}) firsts`,
      params.values,
    );
    return rows[0]!.firstSeen;
  }
}

interface BranchShape {
  columns: string;
  /** More conditions, each starting with AND. */
  where: string;
  /** ORDER BY and LIMIT of each branch. */
  tail: string;
}

/** One subquery per disjoint condition of the visitor's rows, so that their union holds each row once. */
function visitorBranches(params: Params, tenantId: number, match: VisitorMatch, shape: BranchShape): string[] {
  const { columns, tail } = shape;
  const where = ` AND ts >= ${params.add(match.since)}${shape.where}`;
  const tenant = `tenant_id = ${params.add(tenantId)}`;
  const id = params.add(match.visitorId);
  const branches = [
    `(SELECT ${columns} FROM events WHERE ${tenant} AND user_id = ${id}${where} ${tail})`,
    `(SELECT ${columns} FROM events WHERE ${tenant} AND anonymous_id = ${id} AND user_id IS DISTINCT FROM ${id}${where} ${tail})`,
  ];
  const linked = match.linkedAnonymousIds.filter((anonymousId) => anonymousId !== match.visitorId);
  if (linked.length > 0) {
    // One index read per linked id: with `anonymous_id = ANY(…)` the planner walks the tenant's rows in time
    // order instead, hoping to meet one soon (145,000 pages for a visitor of 5 events, in a tenant of 100,000).
    branches.push(
      `(SELECT matched.* FROM unnest(${params.add(linked)}::text[]) AS linked(anonymous_id)
          CROSS JOIN LATERAL (SELECT ${columns} FROM events
                               WHERE ${tenant} AND events.anonymous_id = linked.anonymous_id AND user_id IS NULL${where} ${tail}) matched
        ${tail})`,
    );
  }
  return branches;
}
