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

/** Visitors (userId, else anonymousId) and sessions are counted by 64-bit hashes of their ids. */
export const VISITOR_HASH = 'hashtextextended(coalesce(user_id, anonymous_id), 0)';
export const SESSION_HASH = 'hashtextextended(session_id, 0)';

/** A lateral join giving each event one (kind, hash) row per kind of unique it counts towards. */
export const UNIQUE_KEYS_JOIN = `LATERAL (VALUES ('visitor', ${VISITOR_HASH}), ('session', ${SESSION_HASH})) AS k(kind, hash)`;

/**
 * unique_bitmaps: per tenant, kind, hour or UTC day, and chunk of CHUNK_BITS ordinals, the ordinals seen.
 * Uniques over a range are the bits set in the OR of its bitmaps.
 */
export const CHUNK_BITS = 4096;

/** A one-bit bitmap for the ordinal in `ordinalColumn`, to be OR-ed with others of its chunk. */
export const ordinalBit = (ordinalColumn: string): string => `set_bit(repeat('0', ${CHUNK_BITS})::varbit, (${ordinalColumn} % ${CHUNK_BITS})::int, 1)`;

export const ordinalChunk = (ordinalColumn: string): string => `${ordinalColumn} / ${CHUNK_BITS}`;
