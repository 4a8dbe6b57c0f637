import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../config.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../test/scratch-database.ts';
import { migrate } from './migrator.ts';
import { createPrismaClient, type PrismaClient } from './prisma.ts';
import { findSchemaDrift, type RuntimeDataModel } from './schema-drift.ts';

let database: ScratchDatabase;

beforeAll(async () => {
  database = await createScratchDatabase();
  await migrate(database.pool);
});

afterAll(async () => {
  await database.drop();
});

/** Prisma keeps the model it was generated from on the client; there is no public accessor for it. */
function dataModelOf(client: PrismaClient): RuntimeDataModel {
  return (client as unknown as { _runtimeDataModel: RuntimeDataModel })._runtimeDataModel;
}

describe('schema.prisma and the migrated database', () => {
  it('agree', async () => {
    const client = createPrismaClient(database.pool);
    expect(await findSchemaDrift(dataModelOf(client), database.pool)).toEqual([]);
  });

  it('disagree when a column is added to schema.prisma without a migration', async () => {
    const workDir = join(REPO_ROOT, 'backend', '.tmp', `drift-${process.pid}`);
    await mkdir(workDir, { recursive: true });
    try {
      const schema = await readFile(join(REPO_ROOT, 'prisma', 'schema.prisma'), 'utf8');
      const changed = schema
        .replace(/output\s*=\s*".*"/, 'output = "./client"')
        .replace(/(\n\s*country\s+String\?)/, '$1\n  landingPage String?  @map("landing_page")');
      expect(changed).toContain('landing_page');
      await writeFile(join(workDir, 'schema.prisma'), changed);
      const generate = spawnSync(process.execPath, ['scripts/prisma-generate.mjs', '--schema', join(workDir, 'schema.prisma')], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      expect(generate.status, generate.stderr).toBe(0);

      const generated = (await import(join(workDir, 'client', 'client.ts'))) as { PrismaClient: new (options: object) => PrismaClient };
      const { PrismaPg } = await import('@prisma/adapter-pg');
      const client = new generated.PrismaClient({ adapter: new PrismaPg(database.pool) });

      expect(await findSchemaDrift(dataModelOf(client), database.pool)).toEqual([
        'column events.landing_page (Event.landingPage) is in schema.prisma but not in the database',
      ]);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  it('disagree when the database has a column schema.prisma does not know, or a changed type', async () => {
    const client = createPrismaClient(database.pool);
    await database.pool.query('ALTER TABLE tenants ADD COLUMN legacy_flag boolean');
    await database.pool.query('ALTER TABLE api_keys ALTER COLUMN name TYPE integer USING 0');
    expect(await findSchemaDrift(dataModelOf(client), database.pool)).toEqual([
      'column api_keys.name (ApiKey.name) is String in schema.prisma but integer in the database',
      'column tenants.legacy_flag is in the database but not in schema.prisma',
    ]);
  });
});
