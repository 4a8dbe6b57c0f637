// Runs `prisma generate` on machines that cannot download Prisma's schema engine.
// Generation never uses that engine, but the CLI insists the binary exists before it starts; pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file (here Node's own executable) satisfies the check.
// Migrations do not need the engine either: see backend/src/infra/db/migrator.ts.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath };
const args = ['prisma', 'generate', ...process.argv.slice(2)];
const result = spawnSync('npx', args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
