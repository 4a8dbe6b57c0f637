import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { TAlertRule } from '@pulse/shared/alerts';
import type { TGoal } from '@pulse/shared/goals';
import { bearer, callTrpc } from '@pulse/backend/test/trpc-http';
import { useDashboard } from './dashboard-harness.ts';

// Rules judged four times a second, each window as soon as it closes: the test need not wait a minute to settle.
const dashboard = useDashboard('alerts', { ALERTS_EVERY_SECONDS: 0.25, ALERTS_SETTLE_SECONDS: 0 });

const WINDOW_MS = 5 * 60_000;
// Time left in the current window for the whole test: the window judged first must stay the one that closed last.
const ROOM_MS = 90_000;

/** The end of the five-minute window that closed last, once at least ROOM_MS of the current one remain. */
async function lastClosedWindowWithRoom(): Promise<number> {
  await expect.poll(() => WINDOW_MS - (Date.now() % WINDOW_MS), { timeout: ROOM_MS + 10_000, interval: 1_000 }).toBeGreaterThanOrEqual(ROOM_MS);
  return Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
}

/** Events at a past instant, as an SDK sends them: without sentAt, the server keeps the timestamp as given. */
async function sendEvents(name: string, count: number, at: Date): Promise<void> {
  const batch = Array.from({ length: count }, (_, index) => ({
    type: 'track',
    event: name,
    userId: `alert-visitor-${index}`,
    messageId: `${name}-${index}`,
    timestamp: at.toISOString(),
  }));
  const response = await fetch(`${dashboard.server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': dashboard.tenant.keys.ingest },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);
}

const firingBadge = (page: Page) => page.getByTestId('nav-firing-count');
const ruleRow = (page: Page, name: string) => page.locator(`[data-testid="alert-row"][data-rule="${name}"]`);

it(
  'creates a rule on the Alerts page that fires on the events sent, live in the navigation badge and in its history',
  async () => {
    const probe = `alert_probe_${randomBytes(4).toString('hex')}`;
    const windowEnd = await lastClosedWindowWithRoom();
    await sendEvents(probe, 5, new Date(windowEnd - 60_000));

    // Another tab on another page, open before the rule exists: only the live stream can tell it of the rule firing.
    const elsewhere = await dashboard.openPage('overview', dashboard.tenant.keys.admin);
    await elsewhere.getByTestId('kpi-total-events').first().waitFor();
    expect(await firingBadge(elsewhere).count()).toBe(0);

    const page = await dashboard.openPage('alerts', dashboard.tenant.keys.admin);
    await page.getByTestId('alert-rules-empty').waitFor();
    expect(await page.getByTestId('alert-limit').innerText()).toBe('0 of 50 rules, pro plan');
    await page.getByTestId('alert-create').click();
    const form = page.getByTestId('alert-form');
    await form.getByTestId('alert-name').fill(`Probe ${probe}`);
    await form.getByTestId('alert-event-name').fill(probe);
    await form.getByTestId('alert-window').getByText('5 minutes', { exact: true }).click();
    await form.getByTestId('alert-value').fill('3');
    await form.getByTestId('alert-pending').fill('1');
    await form.getByTestId('alert-save').click();
    await form.waitFor({ state: 'detached' });

    const row = ruleRow(page, `Probe ${probe}`);
    expect(await row.getByTestId('alert-condition-text').innerText()).toBe('above 3');
    await row.locator('[data-testid="alert-state"][data-state="firing"]').waitFor();
    await expect.poll(() => firingBadge(page).innerText()).toBe('1');
    await expect.poll(() => firingBadge(elsewhere).innerText()).toBe('1');
    expect(await page.getByTestId('alert-limit').innerText()).toBe('1 of 50 rules, pro plan');

    // The badge is the navigation's: it stays on other pages of the same tab.
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByTestId('kpi-total-events').first().waitFor();
    expect(await firingBadge(page).innerText()).toBe('1');
    await page.getByRole('link', { name: /^Alerts/ }).click();
    await row.click();

    const change = page.locator(`[data-testid="alert-history-row"][data-window-end="${new Date(windowEnd).toISOString()}"][data-from="ok"][data-to="firing"]`);
    await change.waitFor();
    expect(await change.getByTestId('alert-history-value').innerText()).toBe('5');
    // One window judged so far: Recharts draws no line through a single point, so the chart is its axes, the
    // threshold and the window's red dot (a path appears from the second window on).
    await page.locator('[data-testid="alert-chart"] svg .recharts-reference-line-line').waitFor({ state: 'attached' });
    await page.getByTestId('alert-chart-breach').waitFor();
    await page.getByTestId('alert-deliveries-empty').waitFor();
    // Well inside the window: the rule was judged on the window that closed last, not on a later one.
    expect(Date.now()).toBeLessThan(windowEnd + WINDOW_MS);

    await dashboard.screenshot(page, 'alerts');
  },
  ROOM_MS + 90_000,
);

it('shows a private webhook address refused, in the words of the server', async () => {
  const page = await dashboard.openPage('alerts', dashboard.tenant.keys.admin);
  await page.getByTestId('webhook-name').fill('Internal');
  await page.getByTestId('webhook-url').fill('http://10.0.0.5/hooks/pulse');
  await page.getByTestId('webhook-add').click();
  const refusal = page.getByTestId('refusal');
  await refusal.waitFor();
  expect(await refusal.innerText()).toMatch(/10\.0\.0\.5 is a private address/);
  expect(await page.getByTestId('webhook-row').count()).toBe(0);
});

/** Creates with the admin key, as the dashboard would; fails the test on a refusal. */
async function createAsAdmin<T>(procedure: string, input: unknown): Promise<T> {
  const created = await callTrpc<T>(dashboard.server.url, procedure, 'mutation', input, bearer(dashboard.tenant.keys.admin));
  expect(created.error).toBeUndefined();
  return created.data!;
}

it('shows a read key the rules, read-only', async () => {
  await createAsAdmin<TAlertRule>('alerts.create', {
    name: 'Visitors dropping',
    metric: { kind: 'visitors' },
    window: '1h',
    condition: { type: 'change', direction: 'down', percent: 50, against: 'weekAgo' },
  });
  const goal = await createAsAdmin<TGoal>('goals.create', { name: 'Signed up', match: { kind: 'event', name: 'signup' } });
  await createAsAdmin<TAlertRule>('alerts.create', {
    name: 'Signups high',
    metric: { kind: 'goal', goalId: goal.id },
    window: '1h',
    condition: { type: 'above', value: 10 },
  });
  await createAsAdmin<TAlertRule>('alerts.create', {
    name: 'German signups high',
    metric: { kind: 'events', name: 'signup', filters: [{ field: 'country', operator: 'is', value: 'DE' }] },
    window: '5m',
    condition: { type: 'above', value: 3 },
  });
  const page = await dashboard.openPage('alerts');
  const row = ruleRow(page, 'Visitors dropping');
  await row.waitFor();
  expect(await row.innerText()).toContain('visitors per hour');
  expect(await row.getByTestId('alert-condition-text').innerText()).toBe('down 50 % against a week before');
  // The goal by its name once the goals have come (by its id until then).
  await expect.poll(() => ruleRow(page, 'Signups high').getByTestId('alert-metric-text').innerText()).toBe('conversions of goal "Signed up" per hour');
  expect(await ruleRow(page, 'Signups high').getByTestId('alert-condition-text').innerText()).toBe('above 10');
  expect(await ruleRow(page, 'German signups high').getByTestId('alert-metric-text').innerText()).toBe('"signup" events where Country is Germany per 5 min');
  await page.getByTestId('alerts-read-only').waitFor();
  expect(await page.getByTestId('alert-create').count()).toBe(0);
  expect(await row.getByTestId('alert-edit').count()).toBe(0);
  expect(await page.getByTestId('webhook-section').count()).toBe(0);
});
