import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../backend/src/config.ts';
import { startChaosServer, type ChaosServer } from '../backend/src/test/chaos-server.ts';

// `npm run demo -- --all`, exactly as a tester types it, against a real server process on this run's
// PostgreSQL and Redis, with the scenarios' short settings.

let chaos: ChaosServer;

beforeAll(async () => {
  chaos = await startChaosServer({
    label: 'demo',
    env: {
      FAULT_INJECTION: 'true',
      // The circuit-breaker scenario waits for cached answers to pass their fresh time.
      CACHE_LIVE_TTL_SECONDS: '3',
    },
  });
});

afterAll(() => chaos?.close());

function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', 'demo', '--', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

it('runs all six scenarios headless and every verdict passes', async () => {
  const { code, output } = await runDemo(['--all', '--short', '--url', chaos.server.url, '--key', chaos.tenant.keys.admin]);
  const verdictLines = output.split('\n').filter((line) => / in [\d.]+ s \(run /.test(line));
  expect(verdictLines, output).toHaveLength(6);
  expect(
    verdictLines.every((line) => line.includes(': PASSED ')),
    output,
  ).toBe(true);
  expect(output).toContain('6 of 6 scenarios passed.');
  expect(code).toBe(0);
}, 240_000);

it('refuses a read key, and says why', async () => {
  const { code, output } = await runDemo(['--scenario', 'end-to-end', '--url', chaos.server.url, '--key', chaos.tenant.keys.read]);
  expect(code).not.toBe(0);
  expect(output).toMatch(/scenarios\.status answered 403/);
});
