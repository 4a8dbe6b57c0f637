import { cpus, totalmem } from 'node:os';
import type pg from 'pg';

/** One line saying what produced the figures: CPU, cores, memory, Node.js and PostgreSQL versions. */
export async function describeMachine(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memoryGiB = Math.round(totalmem() / 2 ** 30);
  return `${cpus().length} × ${cpu}, ${memoryGiB} GiB RAM, Node.js ${process.versions.node}, PostgreSQL ${rows[0]?.server_version} on the same machine`;
}
