import { cp, mkdtemp, mkdir, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../test/scratch-database.ts';
import { DEFAULT_MIGRATIONS_DIR, MigrationError, migrate } from './migrator.ts';

let database: ScratchDatabase;
let migrationsDir: string;

beforeEach(async () => {
  database = await createScratchDatabase();
  migrationsDir = await mkdtemp(join(tmpdir(), 'pulse-migrations-'));
  await cp(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
});

afterEach(async () => {
  await database.drop();
  await rm(migrationsDir, { recursive: true, force: true });
});

async function addMigration(name: string, sql: string): Promise<void> {
  await mkdir(join(migrationsDir, name));
  await writeFile(join(migrationsDir, name, 'migration.sql'), sql);
}

async function tableExists(table: string): Promise<boolean> {
  const { rows } = await database.pool.query('SELECT to_regclass($1) AS oid', [table]);
  return rows[0].oid !== null;
}

describe('migrate', () => {
  it('applies every migration once, with Prisma Migrate bookkeeping', async () => {
    const first = await migrate(database.pool, migrationsDir);
    expect(first.applied).toContain('20261121000000_init');
    expect(await tableExists('events')).toBe(true);

    const second = await migrate(database.pool, migrationsDir);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);

    const { rows } = await database.pool.query('SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations');
    expect(rows).toHaveLength(first.applied.length);
    expect(rows[0]).toMatchObject({ applied_steps_count: 1 });
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].finished_at).toBeInstanceOf(Date);
  });

  it('refuses to go on when an applied migration was changed afterwards', async () => {
    await migrate(database.pool, migrationsDir);
    await appendFile(join(migrationsDir, '20261121000000_init', 'migration.sql'), '\n-- edited later\n');
    await addMigration('29990101000000_next', 'CREATE TABLE next_table (id int);');

    await expect(migrate(database.pool, migrationsDir)).rejects.toThrow(/20261121000000_init was changed after it was applied/);
    expect(await tableExists('next_table')).toBe(false);
  });

  it('rolls a failing migration back completely and records nothing', async () => {
    await addMigration('29990101000000_broken', 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;');

    const error = await migrate(database.pool, migrationsDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/29990101000000_broken failed and was rolled back: .*no_such_table/);
    expect(await tableExists('half_done')).toBe(false);
    const { rows } = await database.pool.query("SELECT 1 FROM _prisma_migrations WHERE migration_name LIKE '%broken'");
    expect(rows).toHaveLength(0);
    // The migrations before the broken one did land.
    expect(await tableExists('events')).toBe(true);
  });
});
