import { inject } from 'vitest';
import './provided-context.ts';
import type { AppConfig } from '../config.ts';
import { startRuntime, type Runtime } from '../runtime.ts';

/** The app's real runtime against this test run's throwaway database and Redis prefix. */
export async function startTestRuntime(overrides: Partial<AppConfig> = {}): Promise<Runtime> {
  return startRuntime(testConfig(overrides));
}

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: 0,
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: inject('redisKeyPrefix'),
    DATA_DIR: '.data',
    DEMO_MODE: false,
    DB_POOL_SIZE: 5,
    MAX_BATCH_EVENTS: 1_000,
    INGEST_FLUSH_MAX_ROWS: 5_000,
    INGEST_FLUSH_DELAY_MS: 5,
    INGEST_QUEUE_MAX_ROWS: 50_000,
    READ_RATE_LIMIT_PER_MINUTE: 1_000,
    WEB_DIST_DIR: 'web/dist',
    ...overrides,
  };
}
