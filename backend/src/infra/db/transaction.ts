import type pg from 'pg';

/**
 * Runs `work` on one connection of the pool, released afterwards. A connection lost while checked out but
 * between statements is reported by pg as an 'error' event on the client, which would crash the process
 * without a listener (it did, when PostgreSQL was cut during start-up maintenance); here the next statement
 * fails instead, and the broken connection is closed rather than returned to the pool.
 */
export async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onLost = (error: Error) => {
    lost = error;
  };
  client.on('error', onLost);
  try {
    return await work(client);
  } finally {
    client.off('error', onLost);
    client.release(lost);
  }
}

/** Runs `work` on one connection inside BEGIN … COMMIT; any error rolls it back and is rethrown. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}
