import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../backend/src/config.ts';
import { startServerProcess, type ServerProcess } from '../backend/src/test/server-process.ts';

// The README's way in embedded mode: the server as ./start.sh runs it (no DATABASE_URL, no REDIS_URL, demo
// data), the admin key taken from what it printed, and `npm run demo -- --all --short` with nothing but
// PULSE_ADMIN_KEY and PORT — the scenarios embedded mode cannot run (no Redis spool; PGlite's one query at a
// time) are skipped, and say why.

let dataDir: string;
let server: ServerProcess;
let adminKey: string;

const PRINTED_ADMIN_KEY = /Admin key of the demo tenant \(npm run demo, API calls\): (pk_admin_\S+)/;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pulse-demo-embedded-'));
  server = await startServerProcess({
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    REDIS_CLUSTER_NODES: undefined,
    DATA_DIR: dataDir,
    DEMO_MODE: 'true',
    FAULT_INJECTION: 'true',
    // The circuit-breaker scenario waits for cached answers to pass their fresh time.
    CACHE_LIVE_TTL_SECONDS: '3',
  });
  // The keys are printed once the demo data is seeded.
  adminKey = await vi.waitFor(
    () => {
      const printed = PRINTED_ADMIN_KEY.exec(server.output());
      if (!printed) throw new Error(`no admin key printed yet:\n${server.output()}`);
      return printed[1]!;
    },
    { timeout: 60_000, interval: 200 },
  );
}, 90_000);

afterAll(async () => {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function runDemo(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { PULSE_URL: _ignored, ...inherited } = process.env;
  const child = spawn('npm', ['run', '--silent', 'demo', '--', ...args], { cwd: REPO_ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

it('runs every scenario embedded mode can run, skips the others saying why, and passes', async () => {
  const port = new URL(server.url).port;
  const { code, output } = await runDemo(['--all', '--short'], { PORT: port, PULSE_ADMIN_KEY: adminKey });
  const verdictLines = output.split('\n').filter((line) => / in [\d.]+ s \(run /.test(line));
  expect(verdictLines, output).toHaveLength(4);
  expect(
    verdictLines.every((line) => line.includes(': PASSED ')),
    output,
  ).toBe(true);
  expect(output).toMatch(/Database outage.* — skipped: it needs the Redis spool/);
  expect(output).toMatch(/Graceful degradation — skipped: embedded PostgreSQL \(PGlite\) answers one query at a time/);
  expect(output).toContain('4 of 4 scenarios passed; 2 skipped, as this server cannot run them (graceful-degradation, database-outage).');
  expect(code).toBe(0);
}, 240_000);

it('fails a scenario asked for by name that this server cannot run, and says why', async () => {
  const port = new URL(server.url).port;
  const { code, output } = await runDemo(['--scenario', 'database-outage', '--short'], { PORT: port, PULSE_ADMIN_KEY: adminKey });
  expect(output).toMatch(/skipped: it needs the Redis spool/);
  expect(code).toBe(1);
});
