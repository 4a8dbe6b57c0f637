import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '@pulse/backend/config';
import type { Runtime } from '@pulse/backend/runtime';
import { startTestRuntime } from '@pulse/backend/test/test-runtime';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '@pulse/backend/test/test-tenant';
import { launchChromium } from './browser.ts';

let runtime: Runtime;
let server: TestServer;
let first: TestTenant;
let second: TestTenant;
let browser: Browser;

beforeAll(async () => {
  runtime = await startTestRuntime();
  [first, second] = await Promise.all([createTestTenant(runtime, 'first'), createTestTenant(runtime, 'second')]);
  server = await startTestServer(runtime, { webDistDir: join(REPO_ROOT, 'web', 'dist') });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await runtime?.close();
});

it('switches between tenants this browser has signed in to, and shows each one its own data', async () => {
  await runtime.services.eventIngest.ingest(first, { batch: [{ type: 'track', event: 'only_in_first', userId: 'u', messageId: 'switch-1' }] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(`${server.url}/?key=${first.keys.read}#/overview`);
  await page.getByTestId('type-count-only_in_first').waitFor();
  await page.goto(`${server.url}/?key=${second.keys.read}#/overview`);
  await page.locator('[data-testid="tenant-name"]', { hasText: 'Test second' }).waitFor();
  await page.getByTestId('kpi-total-events').waitFor();
  expect(await page.getByTestId('type-count-only_in_first').count()).toBe(0);

  await page.getByTestId('tenant-switcher').click();
  await page.getByTestId('switch-to-Test first').click();
  await page.locator('[data-testid="tenant-name"]', { hasText: 'Test first' }).waitFor();
  await page.getByTestId('type-count-only_in_first').waitFor();
});
