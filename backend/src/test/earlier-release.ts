import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { DEFAULT_MIGRATIONS_DIR, migrate } from '../infra/db/migrator.ts';

/**
 * Gives a database the schema of the release before `migration`: every migration up to it, not it or any
 * later. Upgrade tests fill such a database as that release did, then run every migration.
 */
export async function migrateToReleaseBefore(pool: pg.Pool, migration: string): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'pulse-earlier-release-'));
  try {
    await cp(DEFAULT_MIGRATIONS_DIR, directory, { recursive: true });
    for (const name of await readdir(directory)) {
      if (name >= migration && name !== 'migration_lock.toml') await rm(join(directory, name), { recursive: true });
    }
    const { applied } = await migrate(pool, directory);
    if (applied.includes(migration)) throw new Error(`${migration} was applied: it is not the release before`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
