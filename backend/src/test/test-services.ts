/**
 * Where the tests find PostgreSQL and Redis: the machine's defaults unless DATABASE_URL / REDIS_URL say
 * otherwise. Tests never touch the named database itself; they create their own throwaway database.
 */
export const TEST_POSTGRES_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const MISSING_SERVICES_HINT = 'start them with `docker compose up -d postgres redis`, or set DATABASE_URL / REDIS_URL to running servers';

/** A URL for another database on the same server. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
