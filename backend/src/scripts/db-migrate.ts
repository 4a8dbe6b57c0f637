// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the embedded database in DATA_DIR.
import { join, resolve } from 'node:path';
import { REPO_ROOT, loadConfig } from '../config.ts';
import { startEmbeddedPostgres } from '../infra/db/embedded-postgres.ts';
import { migrate } from '../infra/db/migrator.ts';
import { createPgPool } from '../infra/db/pg-pool.ts';

const config = loadConfig();
const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(join(resolve(REPO_ROOT, config.DATA_DIR), 'pglite'));
const pool = createPgPool(config.DATABASE_URL ?? embedded!.url, 1);
try {
  const result = await migrate(pool);
  for (const name of result.applied) console.log(`applied ${name}`);
  console.log(`${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await pool.end();
  await embedded?.stop();
}
