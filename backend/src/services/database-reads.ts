import { AppError } from '../errors/app-error.ts';
import { DependencyUnavailableError, type BreakerRegistry } from '../infra/breakers/breaker-registry.ts';
import { databaseMessageOf, isDataException } from '../infra/breakers/outages.ts';
import { BulkheadFullError, type KeyedBulkhead } from '../infra/bulkhead/keyed-bulkhead.ts';

/** How long callers are told to wait when the database is out. */
const RETRY_WHEN_UNAVAILABLE_SECONDS = 5;
/** …and when this tenant's share of connections, or every connection, is busy: reads take milliseconds. */
const RETRY_WHEN_BUSY_SECONDS = 1;

/**
 * Reads that reach PostgreSQL: each holds part of its tenant's share of the connection pool (the bulkhead), so
 * one tenant's heavy reads cannot take the connections another tenant's reads need, and goes through the read
 * breaker, which counts only the database's own failures.
 */
export class DatabaseReads {
  constructor(
    private readonly breakers: Pick<BreakerRegistry, 'run'>,
    /** Null: no per-tenant share (benchmarks of the bare queries). */
    private readonly bulkhead: Pick<KeyedBulkhead, 'run'> | null,
  ) {}

  /** Runs `query`, which uses up to `connections` connections at once, for `tenantId`. Errors come back raw: see readFailure. */
  run<T>(tenantId: number, connections: number, query: () => Promise<T>): Promise<T> {
    return this.holding(tenantId, connections, () => this.query(query));
  }

  /** Runs `work` (several queries, one after another) while it holds `connections` of the tenant's share. */
  holding<T>(tenantId: number, connections: number, work: () => Promise<T>): Promise<T> {
    return this.bulkhead ? this.bulkhead.run(tenantId, connections, work) : work();
  }

  /** One query through the read breaker (its timeout is per query, so a long export is not one slow call). */
  query<T>(query: () => Promise<T>): Promise<T> {
    return this.breakers.run('postgres-read', query);
  }
}

/**
 * What a failed read tells its caller: a 503 with Retry-After when the database is out or busy, a 400 when
 * PostgreSQL refused a value of the input; anything else is ours, and stays an error (a logged 500).
 */
export function readFailure(error: unknown, whenUnavailable = 'the database is unavailable'): unknown {
  if (error instanceof BulkheadFullError) {
    return new AppError(
      'SERVICE_UNAVAILABLE',
      `this tenant's reads already hold its share of the database connections; retry in ${RETRY_WHEN_BUSY_SECONDS} s, or send fewer at once`,
      {
        retryAfterSeconds: RETRY_WHEN_BUSY_SECONDS,
        cause: error,
      },
    );
  }
  if (error instanceof DependencyUnavailableError && error.reason === 'busy') {
    return new AppError('SERVICE_UNAVAILABLE', `every database connection of this server is busy; retry in ${RETRY_WHEN_BUSY_SECONDS} s`, {
      retryAfterSeconds: RETRY_WHEN_BUSY_SECONDS,
      cause: error,
    });
  }
  if (error instanceof DependencyUnavailableError) {
    return new AppError('SERVICE_UNAVAILABLE', `${whenUnavailable}; retry in ${RETRY_WHEN_UNAVAILABLE_SECONDS} s`, {
      retryAfterSeconds: RETRY_WHEN_UNAVAILABLE_SECONDS,
      cause: error,
    });
  }
  if (isDataException(error)) {
    return new AppError('BAD_REQUEST', `the database cannot take a value in this request (${databaseMessageOf(error)}); check its dates and names`, {
      cause: error,
    });
  }
  return error;
}
