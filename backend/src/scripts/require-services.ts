// Run by `npm test` before Vitest: one clear line per missing service instead of a page of stack traces.
import pg from 'pg';
import { Redis } from 'ioredis';
import { MISSING_SERVICES_HINT, TEST_POSTGRES_URL, TEST_REDIS_URL } from '../test/test-services.ts';

const problems: string[] = [];
const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3_000 });
await client
  .connect()
  .then(() => client.query('SELECT 1'))
  .catch((error: Error) => problems.push(`PostgreSQL is not reachable at ${redact(TEST_POSTGRES_URL)} (${error.message})`))
  .finally(() => client.end().catch(() => {}));

const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3_000, retryStrategy: () => null });
redis.on('error', () => {});
await redis
  .connect()
  .then(() => redis.ping())
  .catch((error: Error) => problems.push(`Redis is not reachable at ${redact(TEST_REDIS_URL)} (${error.message})`))
  .finally(() => redis.disconnect());

if (problems.length > 0) {
  for (const problem of problems) console.error(`${problem}: ${MISSING_SERVICES_HINT}.`);
  process.exit(1);
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
