import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { withClient } from './transaction.ts';

/** Same lock id as Prisma Migrate, so this runner and `prisma migrate deploy` never run at once. */
const MIGRATION_LOCK_ID = 72_707_369;

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../../../prisma/migrations', import.meta.url));

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies prisma/migrations/<timestamp>_<name>/migration.sql in name order, one transaction each, with
 * Prisma Migrate's `_prisma_migrations` bookkeeping (so `prisma migrate deploy` agrees where its engine
 * can be had). Refuses to go on when an applied migration's file was changed afterwards.
 */
export async function migrate(pool: pg.Pool, migrationsDir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationResult> {
  const migrations = await readMigrations(migrationsDir);
  return withClient(pool, (client) => applyUnderLock(client, migrations));
}

async function applyUnderLock(client: pg.PoolClient, migrations: MigrationFile[]): Promise<MigrationResult> {
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await client.query(CREATE_BOOKKEEPING_TABLE);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations WHERE rolled_back_at IS NULL',
    );
    const appliedByName = new Map(rows.map((row) => [row.migration_name, row]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const applied = appliedByName.get(migration.name);
      if (applied) {
        assertUnchanged(migration, applied);
        result.alreadyApplied.push(migration.name);
        continue;
      }
      await applyMigration(client, migration);
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
  }
}

async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

function assertUnchanged(migration: MigrationFile, applied: AppliedRow): void {
  if (applied.finished_at === null) {
    throw new MigrationError(
      `migration ${migration.name} was started but never finished; repair the database by hand, then mark it ` +
        'rolled back (UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = ...).',
    );
  }
  if (applied.checksum !== migration.checksum) {
    throw new MigrationError(
      `migration ${migration.name} was changed after it was applied (checksum ${applied.checksum.slice(0, 12)}… ` +
        `in the database, ${migration.checksum.slice(0, 12)}… on disk); restore the file and add a new migration instead.`,
    );
  }
}

async function applyMigration(client: pg.PoolClient, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [
      id,
      migration.checksum,
      migration.name,
    ]);
    await client.query(migration.sql);
    await client.query('UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`, { cause: error });
  }
}

const CREATE_BOOKKEEPING_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;
