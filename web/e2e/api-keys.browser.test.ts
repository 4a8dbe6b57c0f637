import { expect, it } from 'vitest';
import { useDashboard } from './dashboard-harness.ts';

const dashboard = useDashboard('keys-page');

async function whoAmIStatus(key: string): Promise<number> {
  return (await fetch(`${dashboard.server.url}/trpc/auth.whoAmI`, { headers: { authorization: `Bearer ${key}` } })).status;
}

it('an admin creates a key (shown once), sees it listed by its prefix only, and revokes it', async () => {
  const page = await dashboard.openPage('keys', dashboard.tenant.keys.admin);
  await page.getByTestId('key-name-input').fill('website');
  await page.getByTestId('create-key').click();
  const key = (await page.getByTestId('created-key-value').innerText()).trim();
  expect(key).toMatch(/^pk_ingest_/);
  expect(await whoAmIStatus(key)).toBe(200);

  const row = page.getByTestId('key-row-website');
  await row.waitFor();
  const listedPrefix = /(pk_\S+)…/.exec(await row.innerText())![1]!;
  expect(key.startsWith(listedPrefix) && listedPrefix.length < key.length / 2).toBe(true);
  expect(await page.getByTestId('key-table').innerText()).not.toContain(key);
  await dashboard.screenshot(page, 'keys');

  await row.getByRole('button', { name: 'Revoke' }).click();
  await row.getByText('revoked').waitFor();
  expect(await whoAmIStatus(key)).toBe(401);

  // The key is gone from the page on reload: only its hash was ever stored.
  await page.reload();
  await page.getByTestId('key-row-website').waitFor();
  expect(await page.content()).not.toContain(key);
});

it('tells a read key that managing keys needs an admin key', async () => {
  const page = await dashboard.openPage('keys');
  await page.getByText('Managing keys needs an admin key').waitFor();
});
