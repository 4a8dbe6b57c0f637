/**
 * SQL fragments that define what the rollups count, shared by the ingest statement, the rebuild and the
 * queries so that they cannot drift apart. (The consistency test keeps its own copy on purpose.)
 */

/** The raw-event expression behind each dimension of rollup_dimension_day. */
export const DIMENSION_EXPRESSION = {
  path: "CASE WHEN type = 'page' THEN path END",
  referrer: 'referrer',
  device: 'device',
  browser: 'browser',
  country: 'country',
} as const;

export type RollupDimension = keyof typeof DIMENSION_EXPRESSION;

/** A lateral join giving each event one (dimension, value) row per dimension. */
export const DIMENSION_VALUES_JOIN = `LATERAL (VALUES ${Object.entries(DIMENSION_EXPRESSION)
  .map(([dimension, expression]) => `('${dimension}', ${expression})`)
  .join(', ')}) AS d(dimension, value)`;

/** The keys of daily_visitors and daily_sessions: 64-bit hashes of the ids. */
export const VISITOR_HASH = 'hashtextextended(coalesce(user_id, anonymous_id), 0)';
export const SESSION_HASH = 'hashtextextended(session_id, 0)';
