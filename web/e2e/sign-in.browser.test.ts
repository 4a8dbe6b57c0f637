import { expect, it } from 'vitest';
import { useDashboard } from './dashboard-harness.ts';

const dashboard = useDashboard('sign-in');

it('signs in with a read key into an HttpOnly, SameSite=Strict cookie that scripts cannot read, and signs out', async () => {
  const page = await dashboard.browser.newPage();
  await page.goto(dashboard.server.url);
  const keyInput = page.getByTestId('api-key-input');

  await keyInput.fill(dashboard.tenant.keys.ingest);
  await page.getByTestId('key-sign-in').click();
  await page.getByText(/ingest keys are write-only/).waitFor();

  await keyInput.fill(dashboard.tenant.keys.read);
  await page.getByTestId('key-sign-in').click();
  await page.locator('[data-testid="tenant-name"]', { hasText: 'Test sign-in' }).waitFor();

  const [cookie] = await page.context().cookies();
  expect(cookie).toMatchObject({ name: 'pulse_session', httpOnly: true, sameSite: 'Strict' });
  expect(cookie!.value).not.toContain(dashboard.tenant.keys.read);
  const visibleToScripts = await page.evaluate(() => [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].join(' '));
  expect(visibleToScripts).not.toContain('pulse_session');
  expect(visibleToScripts).not.toContain(dashboard.tenant.keys.read);

  await page.reload();
  await page.locator('[data-testid="tenant-name"]', { hasText: 'Test sign-in' }).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await keyInput.waitFor();
  expect(await page.context().cookies()).toEqual([]);
  expect(await page.getByText('Your session ended').count()).toBe(0);
});

it('returns to the sign-in page once the key of the session is revoked', async () => {
  const { runtime, tenant } = dashboard;
  const { key, id } = await runtime.services.apiKeys.createKey(tenant.id, 'read', 'revoked while signed in');
  const page = await dashboard.openPage('overview', key);
  await page.getByTestId('kpi-total-events').first().waitFor();
  await runtime.services.apiKeys.revokeKey(tenant.id, id);
  await page.reload();
  await page.getByTestId('api-key-input').waitFor();
});

it('leaves the Live page for the sign-in page, saying why, when the key of the session is revoked', async () => {
  const { runtime, tenant } = dashboard;
  const { key, id } = await runtime.services.apiKeys.createKey(tenant.id, 'read', 'revoked while streaming');
  const page = await dashboard.openPage('live', key);
  await page.getByText('Live', { exact: true }).first().waitFor();
  await runtime.services.apiKeys.revokeKey(tenant.id, id);
  // The stream checks its key every 5 s and ends with a 401.
  await page.getByText('Your session ended').waitFor({ timeout: 15_000 });
});

it('says why when a sign-in link no longer works, and keeps a session the browser already has', async () => {
  const page = await dashboard.browser.newPage();
  await page.goto(`${dashboard.server.url}/?key=pk_read_revokedlongago`);
  await page.getByTestId('link-rejected').waitFor();
  expect(page.url()).not.toContain('pk_read_');

  await page.getByTestId('api-key-input').fill(dashboard.tenant.keys.read);
  await page.getByTestId('key-sign-in').click();
  await page.locator('[data-testid="tenant-name"]', { hasText: 'Test sign-in' }).waitFor();
  await page.goto(`${dashboard.server.url}/?key=pk_read_revokedlongago`);
  await page.locator('[data-testid="tenant-name"]', { hasText: 'Test sign-in' }).waitFor();
  expect(await page.getByTestId('link-rejected').count()).toBe(0);
});
