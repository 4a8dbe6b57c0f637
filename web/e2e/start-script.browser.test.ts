import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '@pulse/backend/config';
import { launchChromium } from './browser.ts';

// The README's first command, as a user runs it on a machine without PostgreSQL or Redis configured:
// no DATABASE_URL, no REDIS_URL, so ./start.sh must run embedded and show seeded data.
let dataDir: string;
let app: ChildProcess;
let signInLink: string;
let output = '';
let browser: Browser;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pulse-start-'));
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...environment } = process.env;
  app = spawn('./start.sh', {
    cwd: REPO_ROOT,
    env: { ...environment, PORT: '0', DATA_DIR: dataDir },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  signInLink = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /signed in to the demo tenant: (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    app.stdout!.on('data', onData);
    app.stderr!.on('data', onData);
    app.once('exit', (code) => reject(new Error(`start.sh exited with ${code}:\n${output}`)));
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (app?.pid) process.kill(-app.pid, 'SIGTERM');
  await new Promise((resolve) => (app.exitCode === null ? app.once('exit', resolve) : resolve(null)));
  // npm can exit before the server it started has closed PGlite; removing the data directory under a live
  // server fails with ENOTEMPTY, so wait until the whole process group has gone.
  if (app?.pid) await waitForProcessGroupExit(app.pid, 15_000);
  await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

async function waitForProcessGroupExit(groupId: number, timeoutMs: number): Promise<void> {
  const groupAlive = () => {
    try {
      process.kill(-groupId, 0);
      return true;
    } catch {
      return false;
    }
  };
  await vi.waitFor(() => expect(groupAlive()).toBe(false), { timeout: timeoutMs, interval: 50 }).catch(() => process.kill(-groupId, 'SIGKILL'));
}

it('./start.sh runs embedded and the dashboard shows the seeded demo data', async () => {
  expect(output).toContain('(embedded mode)');
  expect(output).toMatch(/Seeded 10,000 demo events/);

  const page = await browser.newPage();
  await page.goto(signInLink);
  await page.getByTestId('run-mode').first().waitFor();
  expect(await page.getByTestId('run-mode').first().innerText()).toMatch(/embedded/i);
  expect(await page.getByTestId('tenant-name').first().innerText()).toBe('Acme Inc.');

  await page.getByText('30 d', { exact: true }).click();
  await page.getByTestId('type-count-page_view').first().waitFor();
  const total = Number((await page.getByTestId('kpi-total-events').first().innerText()).replace(/\D/g, ''));
  // 5,000 demo events per tenant, spread over the last 30 days.
  expect(total).toBeGreaterThan(4_500);
  expect(total).toBeLessThanOrEqual(5_000);
}, 60_000);
