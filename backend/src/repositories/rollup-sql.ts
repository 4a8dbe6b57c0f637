/**
 * SQL fragments that define what the rollups count, shared by the ingest statement, the rebuild and the
 * queries so that they cannot drift apart. (The consistency test keeps its own copy on purpose.)
 */

/** Crawlers' events are stored but counted nowhere except the `bot` dimension: this selects everyone else's. */
export const HUMAN = 'NOT is_bot';

const human = (expression: string) => `CASE WHEN ${HUMAN} THEN ${expression} END`;

/** The raw-event expression behind each dimension of rollup_dimension_day (the key is the dimension's name). */
export const DIMENSION_EXPRESSION = {
  path: `CASE WHEN type = 'page' AND ${HUMAN} THEN path END`,
  referrer: human('referrer'),
  referrerSource: human('referrer_source'),
  device: human('device'),
  browser: human('browser'),
  os: human('os'),
  country: human('country'),
  utmSource: human('utm_source'),
  utmMedium: human('utm_medium'),
  utmCampaign: human('utm_campaign'),
  bot: "CASE WHEN is_bot THEN coalesce(browser, 'unknown') END",
} as const;

export type RollupDimension = keyof typeof DIMENSION_EXPRESSION;

/** A lateral join giving each event one (dimension, value) row per dimension. */
export const DIMENSION_VALUES_JOIN = `LATERAL (VALUES ${Object.entries(DIMENSION_EXPRESSION)
  .map(([dimension, expression]) => `('${dimension}', ${expression})`)
  .join(', ')}) AS d(dimension, value)`;

/** The UTC quarter-hour a timestamp falls in (rollup_quarter_hour's bucket). */
export const QUARTER_HOUR_OF = (timestamp: string): string => `date_bin('15 minutes', ${timestamp}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;

/** Visitors (userId, else anonymousId) and sessions are counted by 64-bit hashes of their ids. */
/** A visitor is their user id, else their anonymous id. */
export const VISITOR_ID = 'coalesce(user_id, anonymous_id)';
export const VISITOR_HASH = `hashtextextended(${VISITOR_ID}, 0)`;
export const SESSION_HASH = 'hashtextextended(session_id, 0)';

/** A lateral join giving each event one (kind, hash) row per kind of unique it counts towards (none for bots). */
export const UNIQUE_KEYS_JOIN = `LATERAL (VALUES ('visitor', ${human(VISITOR_HASH)}), ('session', ${human(SESSION_HASH)})) AS k(kind, hash)`;

/**
 * unique_bitmaps: per tenant, kind, hour or UTC day, and chunk of CHUNK_BITS ordinals, the ordinals seen.
 * Uniques over a range are the bits set in the OR of its bitmaps.
 */
export const CHUNK_BITS = 4096;

/**
 * Every kind of unique_bitmaps, as an index condition: kind comes second in its key, so a scan that names no kind
 * walks the tenant's whole index (both units, every bucket) to find one range; naming the kinds descends once per
 * kind straight to the range.
 */
export const EVERY_UNIQUE_KIND = `kind IN ('visitor', 'session')`;

/** A one-bit bitmap for the ordinal in `ordinalColumn`, to be OR-ed with others of its chunk. */
export const ordinalBit = (ordinalColumn: string): string => `set_bit(repeat('0', ${CHUNK_BITS})::varbit, (${ordinalColumn} % ${CHUNK_BITS})::int, 1)`;

export const ordinalChunk = (ordinalColumn: string): string => `${ordinalColumn} / ${CHUNK_BITS}`;
