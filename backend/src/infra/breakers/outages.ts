// Which failures mean "the dependency is out" (worth a fallback: the spool, a stale answer, a 503) and which are
// a bug in the call itself (worth a 500 and a log line, never a retry that would fail the same way).

/** SQLSTATE classes of a server that cannot take work now: connection exceptions, insufficient resources,
 *  operator intervention (shutdown, statement timeout), system errors. */
const POSTGRES_OUTAGE_CLASSES = new Set(['08', '53', '57', '58']);
/** Redis answers that mean "not now" rather than "wrong command". */
const REDIS_NOT_NOW = /^(LOADING|BUSY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|OOM)\b/;

/** PostgreSQL: no SQLSTATE at all (network errors, pool timeouts, a dropped connection) or an outage class. */
export function isPostgresOutage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return POSTGRES_OUTAGE_CLASSES.has(code.slice(0, 2));
  return true;
}

/** Redis: anything but an error reply to the command itself (a script error, CROSSSLOT, WRONGTYPE). */
export function isRedisOutage(error: unknown): boolean {
  if ((error as Error | null)?.name !== 'ReplyError') return true;
  return REDIS_NOT_NOW.test((error as Error).message);
}
