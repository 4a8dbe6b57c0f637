import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client.ts';

export type { PrismaClient };

/** Runs one Prisma operation (`findFirst`, `create`, …): through a circuit breaker, for instance. */
export type PrismaGuard = (operation: string, query: () => Promise<unknown>) => Promise<unknown>;

/**
 * A Prisma client on the shared pool. With a guard, every operation goes through it, so no repository call can
 * reach PostgreSQL around the breakers (an outage is then a DependencyUnavailableError, a 503, never a 500).
 */
export function createPrismaClient(pool: pg.Pool, guard?: PrismaGuard): PrismaClient {
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  if (!guard) return client;
  const guarded = client.$extends({ query: { $allOperations: ({ operation, args, query }) => guard(operation, () => query(args)) } });
  // A query-only extension leaves every model's API as it was; only the type says otherwise.
  return guarded as unknown as PrismaClient;
}

/** Prisma operations that only read: they go through the read breaker, everything else through the write one. */
export const PRISMA_READ_OPERATIONS: ReadonlySet<string> = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  '$queryRaw',
  '$queryRawUnsafe',
]);
