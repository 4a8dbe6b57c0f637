// Which failures mean "the dependency is out" (worth a fallback: the spool, a stale answer, a 503) and which are
// a bug in the call itself or the caller's input (worth a 4xx or a 500 and a log line, never a retry that would
// fail the same way). Only outages count against a breaker.

/** SQLSTATE classes of a server that cannot take work now: connection exceptions, insufficient resources,
 *  operator intervention (shutdown, statement timeout), system errors. */
const POSTGRES_OUTAGE_CLASSES = new Set(['08', '53', '57', '58']);
/** Data exceptions: a value the statement was given that PostgreSQL cannot take (a date out of range, an unknown
 *  time-zone name, an invalid parameter). The input's fault, not the server's. */
const DATA_EXCEPTION_CLASS = '22';
/** Errors Prisma's pg adapter reports without a SQLSTATE that still mean the server is out of reach. */
const PRISMA_UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);
/** What pg's pool says when no connection came free within its connection timeout. */
const POOL_EXHAUSTED_MESSAGE = 'timeout exceeded when trying to connect';

/** Redis answers that mean "not now" rather than "wrong command". */
const REDIS_NOT_NOW = /^(LOADING|BUSY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|OOM)\b/;

type DatabaseError = {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; originalMessage?: unknown } } };
};

/**
 * The SQLSTATE of a database error, from pg (`code`) or from Prisma's pg adapter (the driver's error in `meta`);
 * null for errors that never reached the server (network, pool), and undefined for Prisma's own errors.
 */
function sqlStateOf(error: unknown): string | null | undefined {
  const candidate = error as DatabaseError | null;
  const driverError = candidate?.meta?.driverAdapterError?.cause;
  if (driverError)
    return typeof driverError.originalCode === 'string' ? driverError.originalCode : PRISMA_UNREACHABLE_KINDS.has(String(driverError.kind)) ? null : undefined;
  if (typeof candidate?.name === 'string' && candidate.name.startsWith('PrismaClient')) return undefined;
  const code = candidate?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** PostgreSQL: no SQLSTATE at all (network errors, a dropped connection) or an outage class; never a full pool. */
export function isPostgresOutage(error: unknown): boolean {
  if (isPoolExhausted(error)) return false;
  const sqlState = sqlStateOf(error);
  if (sqlState === undefined) return false;
  return sqlState === null || POSTGRES_OUTAGE_CLASSES.has(sqlState.slice(0, 2));
}

/**
 * Every connection of this instance's pool stayed busy for its whole connection timeout: this instance has more
 * work than connections, and PostgreSQL may be perfectly well. A 503 for the caller, not a breaker's concern.
 */
export function isPoolExhausted(error: unknown): boolean {
  return (error as DatabaseError | null)?.message === POOL_EXHAUSTED_MESSAGE;
}

/** PostgreSQL refused a value the caller gave (SQLSTATE class 22): the input's fault. */
export function isDataException(error: unknown): boolean {
  return sqlStateOf(error)?.slice(0, 2) === DATA_EXCEPTION_CLASS;
}

/** PostgreSQL's own words for an error (Prisma wraps them in its invocation report). */
export function databaseMessageOf(error: unknown): string {
  const candidate = error as DatabaseError | null;
  const original = candidate?.meta?.driverAdapterError?.cause?.originalMessage;
  return typeof original === 'string' ? original : String(candidate?.message ?? error);
}

/** Redis: anything but an error reply to the command itself (a script error, CROSSSLOT, WRONGTYPE). */
export function isRedisOutage(error: unknown): boolean {
  if ((error as Error | null)?.name !== 'ReplyError') return true;
  return REDIS_NOT_NOW.test((error as Error).message);
}

/** SQLSTATE classes of a write refused for the values of some rows: data exceptions (22), integrity
 *  constraints (23), program limits such as an index row too large (54). */
const ROW_FAULT_CLASSES = new Set([DATA_EXCEPTION_CLASS, '23', '54']);

/** PostgreSQL refused some of the rows written, not the statement or the connection: worth finding those rows. */
export function isPostgresRowFault(error: unknown): boolean {
  const sqlState = sqlStateOf(error);
  return typeof sqlState === 'string' && ROW_FAULT_CLASSES.has(sqlState.slice(0, 2));
}
