import { createTRPCClient, httpLink } from '@trpc/client';
import { beforeAll, expect, it } from 'vitest';
import type { TSummaryRequest } from '@pulse/shared/analytics';
import type { AppRouter } from '@pulse/backend/trpc/app-router';
import { EventRepository } from '@pulse/backend/repositories/event-repository';
import { generateDemoEvents } from '@pulse/backend/services/demo-events';
import { trpcInputsOf } from './browser.ts';
import { useDashboard } from './dashboard-harness.ts';

const dashboard = useDashboard('browser');

beforeAll(async () => {
  const { runtime, tenant } = dashboard;
  const events = generateDemoEvents({ tenantId: tenant.id, tenantSlug: tenant.slug, users: 7, events: 800, days: 30, now: new Date(), seed: 42 });
  await new EventRepository(runtime.pool).insertMany(events);
});

it('Overview shows the same numbers as the API', async () => {
  const page = await dashboard.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const summaryResponse = page.waitForResponse((response) => response.url().includes('analytics.summary'));
  await page.goto(`${dashboard.server.url}/?key=${dashboard.tenant.keys.read}`);

  // Whatever range the page asked for, the API must answer the same when asked directly.
  const request = (await summaryResponse).request();
  const input = trpcInputsOf(request.url()).get('analytics.summary') as TSummaryRequest;
  expect(input).toBeDefined();
  const api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${dashboard.server.url}/trpc`, headers: { authorization: `Bearer ${dashboard.tenant.keys.read}` } })],
  });
  const expected = await api.analytics.summary.query(input);
  expect(expected.totalEvents).toBeGreaterThan(0);

  const text = (testId: string) => page.getByTestId(testId).first().innerText();
  await page.getByTestId('kpi-total-events').first().waitFor();
  expect(await text('kpi-total-events')).toContain(expected.totalEvents.toLocaleString('en-US'));
  expect(await text('kpi-unique-users')).toContain(expected.uniqueUsers.toLocaleString('en-US'));
  expect(await text('kpi-sessions')).toContain(expected.sessions.toLocaleString('en-US'));
  expect(await text('kpi-top-event')).toContain(expected.byType[0]!.name);
  for (const { name, count } of expected.byType) {
    expect(await text(`type-count-${name}`)).toContain(count.toLocaleString('en-US'));
  }

  // The key came in the link; the page must not keep it in the address bar.
  expect(page.url()).not.toContain(dashboard.tenant.keys.read);

  await dashboard.screenshot(page, 'overview');
});

it('Overview updates itself when new events are committed, without a reload', async () => {
  const page = await dashboard.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(`${dashboard.server.url}/?key=${dashboard.tenant.keys.read}`);
  const totalShown = async () => Number((await page.getByTestId('kpi-total-events').first().innerText()).replace(/\D/g, ''));
  await page.getByTestId('kpi-total-events').first().waitFor();
  await page.getByTestId('overview-timeseries').waitFor();
  const before = await totalShown();

  await dashboard.runtime.services.eventIngest.ingest(dashboard.tenant, {
    batch: [{ type: 'page', userId: 'live-visitor', messageId: 'overview-live-1', context: { page: { path: '/live-update' } } }],
  });
  await page.waitForFunction(
    (expected) => Number(document.querySelector('[data-testid="kpi-total-events"]')?.textContent?.replace(/\D/g, '')) === expected,
    before + 1,
    { timeout: 10_000 },
  );
  expect(await totalShown()).toBe(before + 1);
});

it('Overview shows a custom range of whole days as the API counts it', async () => {
  const page = await dashboard.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(`${dashboard.server.url}/?key=${dashboard.tenant.keys.read}`);
  await page.getByTestId('kpi-total-events').first().waitFor();
  await page.getByText('Custom', { exact: true }).click();
  const localDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('en-CA');
  // The same machine, so the browser's midnight is this process's.
  const from = new Date(`${localDay(-3)}T00:00:00`).toISOString();
  const summaryResponse = page.waitForResponse((response) => response.url().includes('analytics.summary') && decodeURIComponent(response.url()).includes(from));
  await page.getByTestId('overview-first-day').fill(localDay(-3));
  const input = trpcInputsOf((await summaryResponse).request().url()).get('analytics.summary') as TSummaryRequest;
  const api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${dashboard.server.url}/trpc`, headers: { authorization: `Bearer ${dashboard.tenant.keys.read}` } })],
  });
  const expected = await api.analytics.summary.query(input);
  // Four whole local days: three ago through today.
  expect(Date.parse(input.to) - Date.parse(input.from)).toBeGreaterThanOrEqual(4 * 86_400_000 - 3_600_000);
  await page.waitForFunction(
    (total) => document.querySelector('[data-testid="kpi-total-events"]')?.textContent === total,
    expected.totalEvents.toLocaleString('en-US'),
  );
});

it("Overview shows the tenant's events against its monthly quota as the API counts them, and when the quota resets", async () => {
  await dashboard.runtime.services.eventIngest.ingest(dashboard.tenant, {
    batch: [1, 2, 3].map((n) => ({ type: 'track', event: 'usage-counted', userId: 'usage-visitor', messageId: `overview-usage-${n}` })),
  });
  const api = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${dashboard.server.url}/trpc`, headers: { authorization: `Bearer ${dashboard.tenant.keys.read}` } })],
  });
  const usage = await api.usage.get.query();
  expect(usage.used).toBeGreaterThanOrEqual(3);
  const page = await dashboard.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(`${dashboard.server.url}/?key=${dashboard.tenant.keys.read}`);
  await page.getByTestId('usage-used').waitFor();
  expect(await page.getByTestId('usage-used').innerText()).toBe(usage.used.toLocaleString('en-US'));
  expect(await page.getByTestId('usage-quota').innerText()).toBe(usage.quota!.toLocaleString('en-US'));
  expect(await page.getByTestId('usage-resets-at').getAttribute('datetime')).toBe(usage.resetsAt);
});
