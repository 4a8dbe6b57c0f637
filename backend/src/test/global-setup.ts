import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { migrate } from '../infra/db/migrator.ts';
import { createPgPool } from '../infra/db/pg-pool.ts';
import './provided-context.ts';
import { MISSING_SERVICES_HINT, TEST_POSTGRES_URL, TEST_REDIS_URL, databaseUrl } from './test-services.ts';

/** One throwaway, migrated database and one Redis key prefix per test run; both removed afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const database = `pulse_test_${project.name}_${runId}`;
  const redisKeyPrefix = `pulse-test:${runId}:`;

  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect().catch((error: Error) => {
    throw new Error(`PostgreSQL is not reachable (${error.message}): ${MISSING_SERVICES_HINT}`);
  });
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = databaseUrl(TEST_POSTGRES_URL, database);
  const pool = createPgPool(url, 1);
  await migrate(pool);
  await pool.end();

  project.provide('databaseUrl', url);
  project.provide('redisUrl', TEST_REDIS_URL);
  project.provide('redisKeyPrefix', redisKeyPrefix);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    await deleteKeysWithPrefix(redisKeyPrefix);
  };
}

async function deleteKeysWithPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    // Only this run's keys, matched by their unique prefix; nothing else in the shared Redis is touched.
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1_000 })) {
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}
