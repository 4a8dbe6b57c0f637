import type { Locator } from 'playwright-core';
import { expect, it } from 'vitest';
import { createTestTenant } from '@pulse/backend/test/test-tenant';
import { useDashboard } from './dashboard-harness.ts';

const dashboard = useDashboard('tracking-page');

const USER_AGENTS = {
  chromeOnWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  safariOnIPhone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  googlebot:
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/124.0.6367.201 Safari/537.36',
};

async function send(path: '/v1/track' | '/v1/batch', key: string, body: unknown): Promise<void> {
  const response = await fetch(`${dashboard.server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.text()).toBeLessThan(300);
}

const rowsOf = (card: Locator) => card.getByTestId('breakdown-row').allInnerTexts();

it('an admin creates an ingest key, copies a snippet that carries it, and sees the first event sent with it arrive', async () => {
  const page = await dashboard.openPage('tracking', dashboard.tenant.keys.admin);
  const status = page.getByTestId('first-event-status');
  await status.getByText('Waiting for the first event').waitFor();

  await page.getByTestId('tracking-create-key').click();
  const key = (await page.getByTestId('created-key-value').innerText()).trim();
  expect(key).toMatch(/^pk_ingest_/);
  const snippet = await page.getByTestId('tracking-snippet-pulse').innerText();
  expect(snippet).toContain(`${dashboard.server.url}/pulse.js`);
  expect(snippet).toContain(`data-key="${key}"`);

  await send('/v1/track', key, { userId: 'u1', event: 'signup' });
  await status.getByText('Receiving events').waitFor({ timeout: 15_000 });
  expect(await status.innerText()).toMatch(/last one .* \(track signup\)/);
  await dashboard.screenshot(page, 'tracking');
});

it('a read key is told to ask an admin, and a pasted key fills in the snippets', async () => {
  const page = await dashboard.openPage('tracking');
  await page.getByTestId('tracking-needs-admin').waitFor();
  expect(await page.getByTestId('tracking-snippet-pulse').innerText()).toContain('data-key="YOUR_INGEST_KEY"');
  await page.getByTestId('tracking-key-input').fill(dashboard.tenant.keys.ingest);
  expect(await page.getByTestId('tracking-snippet-pulse').innerText()).toContain(`data-key="${dashboard.tenant.keys.ingest}"`);
});

it('the Overview counts and breaks events down by browser and country, leaving bots out and counting them apart', async () => {
  const tenant = await createTestTenant(dashboard.runtime, 'breakdowns');
  const visit = (messageId: string, userAgent: string, country: string) => ({
    type: 'page',
    messageId,
    anonymousId: messageId,
    context: { userAgent, location: { country }, page: { path: '/' } },
  });
  await send('/v1/batch', tenant.keys.ingest, {
    batch: [
      visit('chrome-visit', USER_AGENTS.chromeOnWindows, 'DE'),
      visit('iphone-visit', USER_AGENTS.safariOnIPhone, 'FR'),
      visit('crawler-visit', USER_AGENTS.googlebot, 'US'),
    ],
  });

  const page = await dashboard.openPage('overview', tenant.keys.read);
  const browsers = page.getByTestId('breakdown-browser');
  await expect.poll(() => rowsOf(browsers), { timeout: 15_000 }).toHaveLength(2);
  const browserRows = await rowsOf(browsers);
  // The crawler's User-Agent names Chrome too: one Chrome event means it was left out.
  expect(browserRows.find((row) => row.includes('Chrome'))).toMatch(/Chrome\s+1\b/);
  expect(browserRows.some((row) => row.includes('Safari'))).toBe(true);
  expect(browserRows.join('\n')).not.toContain('Googlebot');

  const countries = page.getByTestId('breakdown-country');
  await expect.poll(() => rowsOf(countries)).toHaveLength(2);
  const countryRows = (await rowsOf(countries)).join('\n');
  expect(countryRows).toMatch(/Germany\s+DE/);
  expect(countryRows).toMatch(/France\s+FR/);
  await expect.poll(() => page.getByTestId('bots-excluded').innerText()).toMatch(/^1 bot event excluded/);
  // The headline counts leave the crawler out too: two events, by two visitors.
  const shown = async (testId: string) => Number((await page.getByTestId(testId).first().innerText()).replace(/\D/g, ''));
  expect(await shown('kpi-total-events')).toBe(2);
  expect(await shown('kpi-unique-users')).toBe(2);
  await dashboard.screenshot(page, 'overview-breakdowns');
});
