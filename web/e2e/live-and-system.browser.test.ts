import { describe, expect, it } from 'vitest';
import { ZHealth } from '@pulse/shared/system';
import { useDashboard } from './dashboard-harness.ts';

const dashboard = useDashboard('browser-live');

async function sendEvent(messageId: string, event: string): Promise<void> {
  const response = await fetch(`${dashboard.server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': dashboard.tenant.keys.ingest },
    body: JSON.stringify({ batch: [{ type: 'track', event, userId: 'browser-user', messageId, properties: { path: '/pricing' } }] }),
  });
  expect(response.status).toBe(200);
}

describe('Live', () => {
  it('shows an event moments after it is sent, and holds new ones while paused', async () => {
    const page = await dashboard.openPage('live');
    await page.locator('[data-testid="live-connection"][data-state="connected"]').waitFor();

    await sendEvent('browser-live-1', 'checkout_started');
    const row = page.getByTestId('live-event-browser-live-1');
    await row.waitFor();
    expect(await row.innerText()).toContain('checkout_started');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="live-minute-total"]')?.textContent?.replace(/\D/g, '')) >= 1);

    await page.getByTestId('live-pause').click();
    await sendEvent('browser-live-2', 'checkout_completed');
    await page.getByText('Resume (1 new)').waitFor();
    expect(await page.getByTestId('live-event-browser-live-2').count()).toBe(0);
    await page.getByTestId('live-pause').click();
    await page.getByTestId('live-event-browser-live-2').waitFor();

    await dashboard.screenshot(page, 'live');
  });
});

describe('System', () => {
  it('shows the breakers, mode and spool as the backend reports them, updating every second', async () => {
    const page = await dashboard.openPage('system');
    await page.locator('[data-testid="system-live"]', { hasText: 'Live' }).waitFor();
    const health = ZHealth.parse(await (await fetch(`${dashboard.server.url}/health/ready`)).json());
    for (const breaker of health.breakers) {
      expect(await page.getByTestId(`breaker-state-${breaker.dependency}`).textContent()).toBe(breaker.state);
    }
    expect(await page.getByTestId('system-mode').innerText()).toBe(health.mode);
    await page.locator('[data-testid="system-postgresql"]', { hasText: health.checks.postgres }).waitFor();
    expect(await page.getByTestId('system-redis').innerText()).toBe(health.checks.redis);
    expect(await page.getByTestId('system-status').innerText()).toBe(health.status);
    expect(await page.getByTestId('system-spool-depth').innerText()).toBe(String(health.spool?.depth ?? 'none'));
    expect(await page.getByTestId('system-dead-letters').innerText()).toBe(String(health.spool?.deadLetters?.events ?? 'none'));

    // Requests to this backend show up in the next second's figures.
    for (let i = 0; i < 20; i += 1)
      await fetch(`${dashboard.server.url}/trpc/auth.whoAmI`, { headers: { authorization: `Bearer ${dashboard.tenant.keys.read}` } });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="system-requests-per-second"]')?.textContent) >= 1, undefined, {
      timeout: 10_000,
    });
    await dashboard.screenshot(page, 'system');
  });
});
