import { beforeAll, expect, it } from 'vitest';
import { createTestTenant, type TestTenant } from '@pulse/backend/test/test-tenant';
import { useDashboard } from './dashboard-harness.ts';

const dashboard = useDashboard('first');
let second: TestTenant;

beforeAll(async () => {
  second = await createTestTenant(dashboard.runtime, 'second');
});

it('switches between tenants this browser has signed in to, and shows each one its own data', async () => {
  await dashboard.runtime.services.eventIngest.ingest(dashboard.tenant, {
    batch: [{ type: 'track', event: 'only_in_first', userId: 'u', messageId: 'switch-1' }],
  });
  const page = await dashboard.openPage('overview');
  await page.getByTestId('type-count-only_in_first').waitFor();
  await page.goto(`${dashboard.server.url}/?key=${second.keys.read}#/overview`);
  await page.locator('[data-testid="tenant-name"]', { hasText: 'Test second' }).waitFor();
  await page.getByTestId('kpi-total-events').waitFor();
  expect(await page.getByTestId('type-count-only_in_first').count()).toBe(0);

  await page.getByTestId('tenant-switcher').click();
  await page.getByTestId('switch-to-Test first').click();
  await page.locator('[data-testid="tenant-name"]', { hasText: 'Test first' }).waitFor();
  await page.getByTestId('type-count-only_in_first').waitFor();
});
