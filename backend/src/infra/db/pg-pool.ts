import pg from 'pg';

/** The one connection pool, shared by Prisma (through its pg adapter) and the hot-path SQL repositories. */
export function createPgPool(connectionString: string, maxConnections: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: maxConnections, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return pool;
}
