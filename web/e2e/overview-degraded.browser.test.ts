import { expect, it } from 'vitest';
import { useDashboard } from './dashboard-harness.ts';

// SHED_MAX_IN_FLIGHT=2: the page's own request in flight makes the instance half full, which is when it serves
// long series coarser. The Overview must say so rather than pass the coarser series off as what was asked.
const dashboard = useDashboard('browser-degraded', { SHED_MAX_IN_FLIGHT: 2 });

it('shows a badge when the backend serves a coarser series than the one asked for', async () => {
  const page = await dashboard.openPage('overview');
  await page.getByTestId('overview-timeseries').waitFor();
  expect(await page.getByTestId('overview-degraded').count()).toBe(0);

  await page.getByTestId('overview-granularity').click();
  await page.getByRole('option', { name: 'By hour' }).click();
  const badge = page.getByTestId('overview-degraded');
  await badge.waitFor();
  expect(await badge.textContent()).toBe('Coarser data (by day)');
  expect(await page.getByText('by day,', { exact: false }).count()).toBeGreaterThan(0);
});
