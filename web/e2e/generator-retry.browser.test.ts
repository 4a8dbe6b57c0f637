import { expect, it } from 'vitest';
import { rateLimitsWith } from '@pulse/backend/services/rate-limit-plans';
import { useDashboard } from './dashboard-harness.ts';

// 30 events per 2-second window: every second batch of 20 meets a 429 and must wait it out.
const dashboard = useDashboard('browser-retry', { RATE_LIMIT_WINDOW_SECONDS: 2, RATE_LIMITS: rateLimitsWith({ pro: { ingest: 30 } }) });

it('waits out a 429 and resends the same batch, so every event is stored once', async () => {
  const page = await dashboard.openPage('generator', dashboard.tenant.keys.admin);
  await page.getByTestId('generator-batches').fill('3');
  await page.getByTestId('generator-batchSize').fill('20');
  await page.getByTestId('generator-rate').fill('20');
  await page.getByTestId('generator-send').click();
  await page
    .getByTestId('generator-message')
    .filter({ hasText: /asked to wait \d+ s; the same batch follows/ })
    .waitFor();
  await page.locator('[data-testid="generator-status"]', { hasText: 'Done' }).waitFor({ timeout: 20_000 });

  expect(await page.getByTestId('generator-accepted').innerText()).toBe('60');
  expect(await page.getByTestId('generator-duplicates').innerText()).toBe('0');
  expect(Number(await page.getByTestId('generator-retries').innerText())).toBeGreaterThanOrEqual(1);
  const { rows } = await dashboard.runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1', [dashboard.tenant.id]);
  expect(rows[0]!.n).toBe(60);
});
