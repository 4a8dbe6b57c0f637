import { expect, it } from 'vitest';
import { rateLimitsWith } from '@pulse/backend/services/rate-limit-plans';
import { useDashboard } from './dashboard-harness.ts';

// A refresh that fails behind data already shown becomes a notice in the corner (Mantine's notifications),
// saying what happened and what to do; the same error from several refreshes shows once. The failure is
// real: the tenant's reads per minute run out while the system page keeps polling.
const READS_PER_MINUTE = 60;
const dashboard = useDashboard('notices', { RATE_LIMITS: rateLimitsWith({ pro: { read: READS_PER_MINUTE } }) });

it('shows a failed background refresh as one notice that says what to do, and lets it be closed', async () => {
  const page = await dashboard.openPage('system');
  let refusedRefreshes = 0;
  page.on('response', (response) => {
    if (response.url().includes('/trpc/') && response.status() === 429) refusedRefreshes += 1;
  });
  await page.getByTestId('system-live').waitFor();

  // Spend what is left of the minute's reads, as another reader of the same tenant would.
  const { server, tenant } = dashboard;
  for (let read = 0; read < READS_PER_MINUTE; read += 1) {
    await fetch(`${server.url}/trpc/auth.whoAmI`, { headers: { authorization: `Bearer ${tenant.keys.read}` } });
  }

  const notice = page.locator('.mantine-Notification-root', { hasText: 'Too many requests' });
  await notice.waitFor({ timeout: 15_000 });
  await expect.poll(() => notice.textContent()).toMatch(/read limit of 60 .*Wait \d+ s, then retry\./);
  // The page's polls keep failing with the same error while the notice is up: it stays one notice.
  await expect.poll(() => refusedRefreshes, { timeout: 20_000, interval: 250 }).toBeGreaterThanOrEqual(2);
  expect(await notice.count()).toBe(1);

  await notice.getByRole('button').click();
  await notice.waitFor({ state: 'detached' });
});
