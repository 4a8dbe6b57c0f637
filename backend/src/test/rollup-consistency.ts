import type pg from 'pg';
import { MINUTE_ROLLUP_HOURS } from '../services/time-segments.ts';

/**
 * Every way the rollups of a tenant disagree with its raw events: counts per name and minute (within the minutes'
 * window: older ones may have been deleted) / quarter-hour / hour / day, per dimension value and day, and the
 * visitors and sessions in the hour and day bitmaps (each ordinal given to one id only), bots counted only in
 * their own dimension. Empty when they agree.
 */
export async function rollupDisagreements(pool: pg.Pool, tenantId: number): Promise<string[]> {
  const minutesKept = `date_trunc('hour', now(), 'UTC') - interval '${MINUTE_ROLLUP_HOURS} hours'`;
  const checks: Array<[label: string, fromRollup: string, fromRaw: string]> = [
    [
      'rollup_minute',
      `SELECT bucket, name AS key, count FROM rollup_minute WHERE tenant_id = $1 AND bucket >= ${minutesKept}`,
      `SELECT date_trunc('minute', ts, 'UTC') AS bucket, name AS key, count(*) FROM events
        WHERE tenant_id = $1 AND NOT is_bot AND ts >= ${minutesKept} GROUP BY 1, 2`,
    ],
    ...(['hour', 'day'] as const).map((unit): [string, string, string] => [
      `rollup_${unit}`,
      `SELECT bucket, name AS key, count FROM rollup_${unit} WHERE tenant_id = $1`,
      `SELECT date_trunc('${unit}', ts, 'UTC') AS bucket, name AS key, count(*) FROM events WHERE tenant_id = $1 AND NOT is_bot GROUP BY 1, 2`,
    ]),
    [
      'rollup_quarter_hour',
      `SELECT bucket, name AS key, count FROM rollup_quarter_hour WHERE tenant_id = $1`,
      `SELECT date_trunc('hour', ts, 'UTC') + floor(extract(minute FROM ts AT TIME ZONE 'UTC') / 15) * interval '15 minutes' AS bucket,
              name AS key, count(*)
         FROM events WHERE tenant_id = $1 AND NOT is_bot GROUP BY 1, 2`,
    ],
    [
      'rollup_dimension_day',
      `SELECT bucket, dimension || '=' || value AS key, count FROM rollup_dimension_day WHERE tenant_id = $1`,
      `SELECT date_trunc('day', ts, 'UTC') AS bucket, d.dimension || '=' || d.value AS key, count(*)
         FROM events, LATERAL (VALUES ('path', CASE WHEN type = 'page' THEN path END), ('referrer', referrer),
              ('referrerSource', referrer_source), ('device', device), ('browser', browser), ('os', os), ('country', country),
              ('utmSource', utm_source), ('utmMedium', utm_medium), ('utmCampaign', utm_campaign)) AS d(dimension, value)
        WHERE tenant_id = $1 AND NOT is_bot AND d.value IS NOT NULL GROUP BY 1, 2
       UNION ALL
       SELECT date_trunc('day', ts, 'UTC'), 'bot=' || coalesce(browser, 'unknown'), count(*)
         FROM events WHERE tenant_id = $1 AND is_bot GROUP BY 1, 2`,
    ],
    [
      'unique_bitmaps',
      `SELECT bucket, kind || ' ' || unit || ' ' || (chunk * length(bits) + bit) AS key, 1 AS count
         FROM unique_bitmaps, generate_series(0, length(bits) - 1) AS bit
        WHERE tenant_id = $1 AND get_bit(bits, bit) = 1`,
      `SELECT DISTINCT date_trunc(u.unit, ts, 'UTC') AS bucket,
              k.kind || ' ' || u.unit || ' ' || coalesce(o.ordinal::text, 'without an ordinal: ' || k.hash) AS key, 1 AS count
         FROM events
        CROSS JOIN LATERAL (VALUES ('visitor', hashtextextended(coalesce(user_id, anonymous_id), 0)),
                                   ('session', hashtextextended(session_id, 0))) AS k(kind, hash)
        CROSS JOIN (VALUES ('hour'), ('day')) AS u(unit)
         LEFT JOIN unique_ordinals o ON o.tenant_id = events.tenant_id AND o.kind = k.kind AND o.hash = k.hash
        WHERE events.tenant_id = $1 AND NOT is_bot AND k.hash IS NOT NULL`,
    ],
  ];
  const problems: string[] = [];
  const { rows: shared } = await pool.query<{ kind: string; ordinal: string }>(
    `SELECT kind, ordinal FROM unique_ordinals WHERE tenant_id = $1 GROUP BY 1, 2 HAVING count(*) > 1 LIMIT 5`,
    [tenantId],
  );
  for (const row of shared) problems.push(`unique_ordinals: ${row.kind} ordinal ${row.ordinal} is given to more than one id`);
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
