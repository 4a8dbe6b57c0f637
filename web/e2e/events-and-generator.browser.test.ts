import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@pulse/backend/config';
import type { Runtime } from '@pulse/backend/runtime';
import { startTestRuntime } from '@pulse/backend/test/test-runtime';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '@pulse/backend/test/test-tenant';
import { launchChromium } from './browser.ts';

let runtime: Runtime;
let server: TestServer;
let tenant: TestTenant;
let browser: Browser;
const screenshots = join(REPO_ROOT, 'docs', 'screenshots');

beforeAll(async () => {
  runtime = await startTestRuntime();
  tenant = await createTestTenant(runtime, 'browser-events');
  server = await startTestServer(runtime, { webDistDir: join(REPO_ROOT, 'web', 'dist') });
  browser = await launchChromium();
  await mkdir(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await runtime?.close();
});

async function openPage(route: string, key: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(`${server.url}/?key=${key}#/${route}`);
  return page;
}

describe('Events', () => {
  it('lists stored events, filters them, and shows one in full', async () => {
    await runtime.services.eventIngest.ingest(tenant, {
      batch: [
        { type: 'track', event: 'plan_upgraded', userId: 'ada', messageId: 'events-page-1', properties: { plan: 'enterprise', seats: 42 } },
        { type: 'page', userId: 'grace', messageId: 'events-page-2', context: { page: { path: '/pricing' } } },
      ],
    });
    const page = await openPage('events', tenant.keys.read);
    await page.getByTestId('events-row-events-page-1').waitFor();
    await page.getByTestId('events-row-events-page-2').waitFor();

    await page.getByTestId('events-filter-userId').fill('ada');
    await page.getByTestId('events-row-events-page-2').waitFor({ state: 'detached' });
    await page.getByTestId('events-row-events-page-1').waitFor();

    await page.getByTestId('events-row-events-page-1').click();
    const json = JSON.parse(await page.getByTestId('event-drawer-json').innerText()) as { messageId: string; properties: unknown };
    expect(json).toMatchObject({ messageId: 'events-page-1', properties: { plan: 'enterprise', seats: 42 } });
    await page.screenshot({ path: join(screenshots, 'events.png'), fullPage: true });
  });
});

describe('Generator', () => {
  it('sends every batch, shows the progress reach 100% and a tally that matches what was stored', async () => {
    const page = await openPage('generator', tenant.keys.admin);
    await page.getByTestId('generator-batches').fill('5');
    await page.getByTestId('generator-batchSize').fill('20');
    await page.getByTestId('generator-rate').fill('20');
    await page.getByTestId('generator-send').click();
    await page.locator('[data-testid="generator-status"]', { hasText: 'Done' }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('generator-percent').innerText()).toBe('100%');
    expect(await page.getByTestId('generator-accepted').innerText()).toBe('100');
    expect(await page.getByTestId('generator-duplicates').innerText()).toBe('0');

    const { rows } = await runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND message_id NOT LIKE $2', [tenant.id, 'events-page-%']);
    expect(rows[0]!.n).toBe(100);
    await page.screenshot({ path: join(screenshots, 'generator.png'), fullPage: true });
  });

  it('asks a read-only session for an ingest key instead of failing', async () => {
    const page = await openPage('generator', tenant.keys.read);
    await page.getByTestId('generator-ingest-key').waitFor();
    expect(await page.getByTestId('generator-send').isDisabled()).toBe(true);
  });
});
