import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '@pulse/backend/config';
import { launchChromium } from './browser.ts';

// The README's first command, as a user runs it on a machine without PostgreSQL or Redis configured:
// no DATABASE_URL, no REDIS_URL, so ./start.sh must run embedded and show seeded data. Then a newcomer who
// missed the first start's output restarts it: what it prints must let them in again.
const SIGN_IN_LINK = /Open the dashboard, signed in as (\S+) \(a one-time link, valid 24 h\): (\S+)/;
const OWNER_PASSWORD = /Owner account created: sign in as (\S+) with the password (\S+) /;

interface Started {
  app: ChildProcess;
  output: () => string;
  owner: string;
  signInLink: string;
}

let dataDir: string;
let running: Started | null = null;
let first: Started;
let browser: Browser;

/** Runs ./start.sh on the data directory until it has printed its sign-in link. */
async function start(): Promise<Started> {
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...environment } = process.env;
  const app = spawn('./start.sh', {
    cwd: REPO_ROOT,
    env: { ...environment, PORT: '0', DATA_DIR: dataDir },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const [, owner, signInLink] = await new Promise<RegExpExecArray>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = SIGN_IN_LINK.exec(output);
      if (match) resolve(match);
    };
    app.stdout!.on('data', onData);
    app.stderr!.on('data', onData);
    app.once('exit', (code) => reject(new Error(`start.sh exited with ${code}:\n${output}`)));
  });
  running = { app, output: () => output, owner: owner!, signInLink: signInLink! };
  return running;
}

async function stop(started: Started | null): Promise<void> {
  const pid = started?.app.pid;
  if (!started || !pid) return;
  process.kill(-pid, 'SIGTERM');
  await new Promise((resolve) => (started.app.exitCode === null ? started.app.once('exit', resolve) : resolve(null)));
  // npm can exit before the server it started has closed PGlite; removing the data directory (or starting
  // again on it) under a live server fails, so wait until the whole process group has gone.
  await waitForProcessGroupExit(pid, 15_000);
  running = null;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pulse-start-'));
  first = await start();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stop(running);
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

/** Opens `link` in a browser of its own (no cookie from another test) and says what the dashboard shows. */
async function openLink(link: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByTestId('run-mode').or(page.getByTestId('password-input')).first().waitFor();
  return { page, close: () => context.close() };
}

it('./start.sh runs embedded and the dashboard shows the seeded demo data', async () => {
  expect(first.output()).toContain('(embedded mode)');
  expect(first.output()).toMatch(/Seeded 10,000 demo events/);

  const { page, close } = await openLink(first.signInLink);
  await page.getByTestId('run-mode').first().waitFor();
  expect(await page.getByTestId('run-mode').first().innerText()).toMatch(/embedded/i);
  expect(await page.getByTestId('tenant-name').first().innerText()).toBe('Acme Inc.');

  await page.getByText('30 d', { exact: true }).click();
  await page.getByTestId('type-count-page_view').first().waitFor();
  const total = Number((await page.getByTestId('kpi-total-events').first().innerText()).replace(/\D/g, ''));
  // 5,000 demo events per tenant, spread over the last 30 days.
  expect(total).toBeGreaterThan(4_500);
  expect(total).toBeLessThanOrEqual(5_000);
  await close();
}, 60_000);

it('a restart prints a new sign-in link that works, the used one does not, and the first password still signs in', async () => {
  const [, ownerEmail, password] = OWNER_PASSWORD.exec(first.output()) ?? [];
  expect(ownerEmail).toBe(first.owner);
  await stop(first);

  const second = await start();
  expect(second.owner).toBe(first.owner);
  expect(second.output()).not.toMatch(OWNER_PASSWORD);
  expect(second.signInLink).not.toBe(first.signInLink);

  const fresh = await openLink(second.signInLink);
  await fresh.page.getByTestId('run-mode').first().waitFor();
  expect(await fresh.page.getByTestId('tenant-name').first().innerText()).toBe('Acme Inc.');
  await fresh.close();

  // The first link was used: it must not sign anyone in again, and the page says why.
  const used = await openLink(second.signInLink.replace(/signin=\S+/, `signin=${first.signInLink.split('signin=')[1]!}`));
  await used.page.getByTestId('link-rejected').waitFor();
  await used.close();

  // The password printed on the first start, typed into the sign-in page.
  const typed = await openLink(new URL('/', second.signInLink).href);
  await typed.page.getByTestId('email-input').fill(ownerEmail!);
  await typed.page.getByTestId('password-input').fill(password!);
  await typed.page.getByTestId('password-sign-in').click();
  await typed.page.getByTestId('run-mode').first().waitFor();
  expect(await typed.page.getByTestId('tenant-name').first().innerText()).toBe('Acme Inc.');
  await typed.close();
}, 120_000);
