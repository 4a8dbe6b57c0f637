import type pg from 'pg';

export interface EventTotals {
  totalEvents: number;
  uniqueUsers: number;
  sessions: number;
}

export interface NameCount {
  name: string;
  count: number;
}

/** Read queries over events. Ranges are half-open: ts >= from AND ts < to. */
export class AnalyticsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async totals(tenantId: number, from: Date, to: Date): Promise<EventTotals> {
    const { rows } = await this.pool.query<{ total: string; users: string; sessions: string }>(
      `SELECT count(*) AS total,
              count(DISTINCT coalesce(user_id, anonymous_id)) AS users,
              count(DISTINCT session_id) AS sessions
         FROM events
        WHERE tenant_id = $1 AND ts >= $2 AND ts < $3`,
      [tenantId, from, to],
    );
    const row = rows[0];
    return {
      totalEvents: Number(row?.total ?? 0),
      uniqueUsers: Number(row?.users ?? 0),
      sessions: Number(row?.sessions ?? 0),
    };
  }

  async countByName(tenantId: number, from: Date, to: Date): Promise<NameCount[]> {
    const { rows } = await this.pool.query<{ name: string; count: string }>(
      `SELECT name, count(*) AS count
         FROM events
        WHERE tenant_id = $1 AND ts >= $2 AND ts < $3
        GROUP BY name
        ORDER BY count(*) DESC, name`,
      [tenantId, from, to],
    );
    return rows.map((row) => ({ name: row.name, count: Number(row.count) }));
  }
}
