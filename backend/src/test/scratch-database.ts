import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import './provided-context.ts';
import { createPgPool } from '../infra/db/pg-pool.ts';
import { databaseUrl } from './test-services.ts';

export interface ScratchDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** An empty database of its own, for tests that must start from nothing (migrations, drift). */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const serverUrl = inject('databaseUrl');
  const name = `pulse_scratch_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = databaseUrl(serverUrl, name);
  const pool = createPgPool(url, 2);
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
