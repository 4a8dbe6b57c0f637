import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../backend/src/config.ts';
import type { Runtime } from '../backend/src/runtime.ts';
import '../backend/src/test/provided-context.ts';
import { startServerProcess, type ServerProcess } from '../backend/src/test/server-process.ts';
import { startTestRuntime } from '../backend/src/test/test-runtime.ts';
import { createTestTenant, type TestTenant } from '../backend/src/test/test-tenant.ts';
import { dockerStages } from './dockerfile.ts';

// No Docker engine runs here, so the Dockerfile's `backend` stage is carried out by hand, instruction by
// instruction, in an empty folder standing for the image's /app: its COPYs (from this checkout, or from the
// `build` stage, which is this checkout after `npm run build`), its RUN (npm ci --omit=dev), its ENV and its
// CMD. The server that CMD starts must come up on PostgreSQL and Redis, store and answer, and stop cleanly.
const run = promisify(execFile);
const backendStage = dockerStages(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8')).get('backend')!;

let app: string;
let runtime: Runtime;
let tenant: TestTenant;
let server: ServerProcess;

/** Carries out the stage's instructions in `app`; returns its ENV and its CMD. */
async function buildStage(): Promise<{ env: Record<string, string>; cmd: string[] }> {
  const env: Record<string, string> = {};
  let cmd: string[] = [];
  for (const instruction of backendStage.instructions) {
    const [keyword, ...rest] = instruction.split(/\s+/);
    const argument = instruction.slice(keyword!.length).trim();
    if (keyword === 'WORKDIR' || keyword === 'EXPOSE' || keyword === 'USER') continue;
    if (keyword === 'ENV') for (const pair of rest) env[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
    else if (keyword === 'COPY') await copy(rest);
    else if (keyword === 'RUN') await run('sh', ['-c', argument], { cwd: app, env: { ...process.env, npm_config_prefer_offline: 'true' } });
    else if (keyword === 'CMD') cmd = JSON.parse(argument) as string[];
    else throw new Error(`the stage has an instruction this test does not carry out: ${instruction}`);
  }
  return { env, cmd };
}

/** COPY [--from=build] <source…> <destination>, with Docker's meaning: a folder's contents go into the destination. */
async function copy(words: string[]): Promise<void> {
  const fromBuild = words[0] === '--from=build';
  const paths = fromBuild ? words.slice(1) : words;
  const destination = join(app, paths.at(-1)!);
  for (const source of paths.slice(0, -1)) {
    // The build stage's /app is this checkout once `npm run build` has run.
    const from = join(REPO_ROOT, fromBuild ? source.replace(/^\/app\//, '') : source);
    const into = paths.at(-1)!.endsWith('/') && !(await isFolder(from)) ? join(destination, basename(from)) : destination;
    await cp(from, into, { recursive: true });
  }
}

async function isFolder(path: string): Promise<boolean> {
  return readdir(path).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'pulse-image-'));
  // The build stage's output this stage copies: the server's JavaScript (the dashboard is built by `npm run build`).
  await run('npm', ['run', 'build:server'], { cwd: REPO_ROOT });
  const { env, cmd } = await buildStage();
  expect(cmd[0]).toBe('node');

  runtime = await startTestRuntime();
  tenant = await createTestTenant(runtime, 'image');
  server = await startServerProcess(
    {
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL: inject('redisUrl'),
      REDIS_KEY_PREFIX: `pulse-image:${randomBytes(4).toString('hex')}:`,
      // Test files run side by side: their event-loop delay is not this server's load (as in chaos-server.ts).
      SHED_EVENT_LOOP_DELAY_MS: '60000',
    },
    undefined,
    { command: { nodeArgs: cmd.slice(1), cwd: app } },
  );
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await runtime?.close();
  if (app) await rm(app, { recursive: true, force: true });
});

it('holds production dependencies and compiled JavaScript only', async () => {
  const installed = await readdir(join(app, 'node_modules'));
  expect(installed).toEqual(expect.arrayContaining(['express', 'pg', 'ioredis', 'zod']));
  // (typescript and prisma are there all the same: @trpc/server and @prisma/client name them as peer
  // dependencies, and npm installs peers.)
  for (const devOnly of ['tsx', 'vitest', 'vite', 'eslint', '@vitejs']) expect(installed).not.toContain(devOnly);
  const serverFiles = await readdir(join(app, 'backend/src'), { recursive: true });
  expect(serverFiles.filter((file) => file.endsWith('.ts'))).toEqual([]);
  expect(serverFiles).toContain('main.js');
});

it('runs the server from it: ready, stores events, answers, serves the dashboard', async () => {
  const ingest = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': tenant.keys.ingest },
    body: JSON.stringify({ batch: [1, 2].map((n) => ({ type: 'track', event: 'image_check', userId: `u${n}`, messageId: `image-${n}` })) }),
  });
  expect(await ingest.json()).toMatchObject({ accepted: 2 });

  const input = encodeURIComponent(JSON.stringify({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }));
  const summary = await fetch(`${server.url}/trpc/analytics.summary?input=${input}`, { headers: { authorization: `Bearer ${tenant.keys.read}` } });
  expect(await summary.json()).toMatchObject({ result: { data: { totalEvents: 2, uniqueUsers: 2 } } });

  const dashboard = await fetch(server.url);
  expect(await dashboard.text()).toContain('<div id="root">');
});

it('stops cleanly on SIGTERM, the signal the container gets', async () => {
  await server.stop();
  expect(await server.exited).toBe(0);
});
