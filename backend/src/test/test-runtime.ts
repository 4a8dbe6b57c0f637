import { inject } from 'vitest';
import './provided-context.ts';
import { loadConfig, type AppConfig } from '../config.ts';
import { startRuntime, type Runtime } from '../runtime.ts';

/** The app's real runtime against this test run's throwaway database and Redis prefix, its database ready. */
export async function startTestRuntime(overrides: Partial<AppConfig> = {}): Promise<Runtime> {
  const runtime = await startRuntime(testConfig(overrides));
  await runtime.databaseReady;
  return runtime;
}

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    ...loadConfig({}),
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: 0,
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: inject('redisKeyPrefix'),
    DATA_DIR: '.data',
    DEMO_MODE: false,
    DB_POOL_SIZE: 5,
    INGEST_FLUSH_MAX_ROWS: 5_000,
    // An in-process server shares its event loop with the test's own work, so that loop's delay says
    // nothing about the server's load: shedding here follows the in-flight count only.
    SHED_EVENT_LOOP_DELAY_MS: 60_000,
    LOG_LEVEL: 'error',
    // Every in-process test server of a run shares one Redis prefix, and so one count of keyless calls from
    // 127.0.0.1 (sign-ins, refused keys): the default 120 a minute is a production setting, not a test's.
    RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: 2_000,
    // Likewise for failed sign-ins from 127.0.0.1; the login-limit test sets its own, under its own prefix.
    LOGIN_FAILURES_PER_ADDRESS: 2_000,
    // Tests build value rollups themselves, when they mean to: a background build would only blur which rows answered.
    VALUE_ROLLUPS_EVERY_SECONDS: 0,
    // Likewise alert rules: the tests that evaluate them run their own schedulers, on their own clocks.
    ALERTS_EVERY_SECONDS: 0,
    ...overrides,
  };
}
