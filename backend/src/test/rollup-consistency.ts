import type pg from 'pg';

/**
 * Every way the rollups of a tenant disagree with its raw events: counts per name and minute / hour / day,
 * per dimension value and day, and the daily visitor and session sets. Empty when they agree.
 */
export async function rollupDisagreements(pool: pg.Pool, tenantId: number): Promise<string[]> {
  const checks: Array<[label: string, fromRollup: string, fromRaw: string]> = [
    ...(['minute', 'hour', 'day'] as const).map((unit): [string, string, string] => [
      `rollup_${unit}`,
      `SELECT bucket, name AS key, count FROM rollup_${unit} WHERE tenant_id = $1`,
      `SELECT date_trunc('${unit}', ts, 'UTC') AS bucket, name AS key, count(*) FROM events WHERE tenant_id = $1 GROUP BY 1, 2`,
    ]),
    [
      'rollup_dimension_day',
      `SELECT bucket, dimension || '=' || value AS key, count FROM rollup_dimension_day WHERE tenant_id = $1`,
      `SELECT date_trunc('day', ts, 'UTC') AS bucket, d.dimension || '=' || d.value AS key, count(*)
         FROM events, LATERAL (VALUES ('path', CASE WHEN type = 'page' THEN path END), ('referrer', referrer),
              ('device', device), ('browser', browser), ('country', country)) AS d(dimension, value)
        WHERE tenant_id = $1 AND d.value IS NOT NULL GROUP BY 1, 2`,
    ],
    [
      'daily_visitors',
      `SELECT bucket, visitor_hash::text AS key, 1 AS count FROM daily_visitors WHERE tenant_id = $1`,
      `SELECT DISTINCT date_trunc('day', ts, 'UTC') AS bucket, hashtextextended(coalesce(user_id, anonymous_id), 0)::text AS key, 1 AS count
         FROM events WHERE tenant_id = $1 AND coalesce(user_id, anonymous_id) IS NOT NULL`,
    ],
    [
      'daily_sessions',
      `SELECT bucket, session_hash::text AS key, 1 AS count FROM daily_sessions WHERE tenant_id = $1`,
      `SELECT DISTINCT date_trunc('day', ts, 'UTC') AS bucket, hashtextextended(session_id, 0)::text AS key, 1 AS count
         FROM events WHERE tenant_id = $1 AND session_id IS NOT NULL`,
    ],
  ];
  const problems: string[] = [];
  for (const [label, fromRollup, fromRaw] of checks) {
    const { rows } = await pool.query<{ side: string; bucket: Date; key: string; count: string }>(
      `(SELECT 'only in rollup' AS side, * FROM ((${fromRollup}) EXCEPT (${fromRaw})) a)
       UNION ALL
       (SELECT 'only in raw events' AS side, * FROM ((${fromRaw}) EXCEPT (${fromRollup})) b)
       LIMIT 5`,
      [tenantId],
    );
    for (const row of rows) problems.push(`${label}: ${row.side}: ${row.bucket.toISOString()} ${row.key} ${row.count}`);
  }
  return problems;
}
