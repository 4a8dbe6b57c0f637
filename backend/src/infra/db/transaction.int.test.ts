import pg from 'pg';
import { afterAll, expect, inject, it } from 'vitest';
import '../../test/provided-context.ts';
import { createPgPool } from './pg-pool.ts';
import { withClient } from './transaction.ts';

const pool = createPgPool(inject('databaseUrl'), 2);
afterAll(() => pool.end());

it('survives a connection lost between two statements: the next one fails, the pool goes on', async () => {
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  try {
    const outcome = withClient(pool, async (client) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // The connection ends while no statement runs: pg reports it as an 'error' event on the client, which
      // crashes the process (here: this test worker) unless someone listens.
      const closed = new Promise((resolve) => (client as unknown as { connection: { stream: NodeJS.EventEmitter } }).connection.stream.once('close', resolve));
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await closed;
      await client.query('SELECT 1');
    });
    await expect(outcome).rejects.toThrow();
    // The broken connection was not handed back: the pool answers on a fresh one.
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
  } finally {
    await admin.end();
  }
});
