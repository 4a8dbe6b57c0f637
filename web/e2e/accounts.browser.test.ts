import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { TRole } from '@pulse/shared/roles';
import { createTestTenant } from '@pulse/backend/test/test-tenant';
import { useDashboard } from './dashboard-harness.ts';

// Two failed sign-ins per account, so the third shows the limit's message without a long loop.
const FAILURES_PER_ACCOUNT = 2;
const dashboard = useDashboard('accounts', { LOGIN_FAILURES_PER_ACCOUNT: FAILURES_PER_ACCOUNT });
const PASSWORD = 'correct horse battery';
const VIEWPORT = { width: 1440, height: 1000 };

const uniqueEmail = (who: string) => `${who}-${randomBytes(4).toString('hex')}@accounts.test`;

/** A person with `role` in each of `tenantIds` (this file's tenant by default). */
async function createMember(role: TRole, tenantIds = [dashboard.tenant.id]): Promise<string> {
  const email = uniqueEmail(role);
  const user = await dashboard.runtime.services.users.create(email, PASSWORD);
  for (const tenantId of tenantIds) await dashboard.runtime.prisma.membership.create({ data: { tenantId, userId: user.id, role } });
  return email;
}

/**
 * The owner a first start makes, for this file's tenant. `accounts.ensureOwner` creates one only in a database
 * without users, and test files share the database: so the same two steps, for this tenant alone.
 */
const createOwner = () => createMember('owner');

async function signInWithPassword(page: Page, email: string, password: string): Promise<void> {
  await page.goto(dashboard.server.url);
  await page.getByTestId('email-input').fill(email);
  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('password-sign-in').click();
}

/** The HTTP status of a tRPC mutation sent with the page's own session cookie. */
function mutationStatus(page: Page, procedure: string, input: unknown): Promise<number> {
  return page.evaluate(
    async ([path, body]) => (await fetch(`/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status,
    [procedure, JSON.stringify(input)] as const,
  );
}

it("the first start's owner invites a Viewer, who sees the Overview but cannot create a key or a goal; the owner makes them an Editor, and the audit log says so", async () => {
  await dashboard.runtime.services.eventIngest.ingest(dashboard.tenant, {
    batch: [{ type: 'track', event: 'signup', userId: 'u1', messageId: `accounts-${randomBytes(4).toString('hex')}` }],
  });
  const ownerEmail = await createOwner();
  const owner = await dashboard.browser.newPage({ viewport: VIEWPORT });
  await signInWithPassword(owner, ownerEmail, PASSWORD);
  expect(await owner.getByTestId('user-menu').innerText()).toBe(ownerEmail);

  await owner.getByRole('link', { name: 'Members' }).click();
  await owner.locator(`[data-testid="member-row"][data-email="${ownerEmail}"]`).waitFor();
  expect(await owner.getByTestId('invite-role').inputValue()).toBe('Viewer');
  await owner.getByTestId('invite-create').click();
  const link = await owner.getByTestId('invitation-link').inputValue();
  expect(link).toMatch(/\/\?invitation=\S+$/);
  await owner.getByTestId('invitation-row').waitFor();

  // The Viewer opens the link in a browser of their own and makes an account there.
  const viewerContext = await dashboard.browser.newContext({ viewport: VIEWPORT });
  const viewer = await viewerContext.newPage();
  await viewer.goto(link);
  expect(await viewer.getByTestId('invitation-preview').innerText()).toContain('Join Test accounts as viewer');
  const viewerEmail = uniqueEmail('viewer');
  await viewer.getByTestId('invitation-email').fill(viewerEmail);
  await viewer.getByTestId('invitation-password').fill(PASSWORD);
  await viewer.getByTestId('invitation-accept-new').click();

  await viewer.getByTestId('kpi-total-events').first().waitFor();
  expect(viewer.url()).not.toContain('invitation=');
  expect(await viewer.getByTestId('user-menu').innerText()).toBe(viewerEmail);
  expect(await viewer.getByRole('link', { name: 'Members' }).count()).toBe(0);
  expect(await viewer.getByRole('link', { name: 'Audit log' }).count()).toBe(0);

  await viewer.getByRole('link', { name: 'API keys' }).click();
  await viewer.getByTestId('keys-read-only').waitFor();
  expect(await viewer.getByTestId('keys-read-only').innerText()).toContain('You are a viewer of Test accounts');
  expect(await viewer.getByTestId('create-key').count()).toBe(0);
  expect(await mutationStatus(viewer, 'keys.create', { name: 'not mine to make', scope: 'read' })).toBe(403);

  await viewer.getByRole('link', { name: 'Goals' }).click();
  await viewer.getByTestId('goals-read-only').waitFor();
  expect(await viewer.getByTestId('goal-form').count()).toBe(0);
  expect(await mutationStatus(viewer, 'goals.create', { name: 'Signed up', match: { kind: 'event', name: 'signup' } })).toBe(403);

  // The owner sees the new member (and the invitation used up), and makes them an Editor.
  await owner.reload();
  const viewerRow = owner.locator(`[data-testid="member-row"][data-email="${viewerEmail}"]`);
  await viewerRow.waitFor();
  expect(await owner.getByTestId('invitation-row').count()).toBe(0);
  await viewerRow.getByTestId('member-role').click();
  await owner.getByRole('option', { name: 'Editor' }).click();
  await expect.poll(() => viewerRow.getByTestId('member-role').inputValue()).toBe('Editor');

  await owner.getByRole('link', { name: 'Audit log' }).click();
  const changeRow = owner.locator('[data-testid="audit-row"][data-action="members.changeRole"]').first();
  await changeRow.waitFor();
  expect(await changeRow.getByTestId('audit-actor').innerText()).toContain(ownerEmail);
  expect(await changeRow.getByTestId('audit-details').innerText()).toContain('"role":"editor"');
  const actions = await owner.getByTestId('audit-action').allInnerTexts();
  // Newest first: the role change, after the Viewer joined, after the invitation.
  expect(actions.indexOf('members.changeRole')).toBeLessThan(actions.indexOf('invitations.accept'));
  expect(actions.indexOf('invitations.accept')).toBeLessThan(actions.indexOf('members.invite'));

  // The Editor, on their next page, may create goals.
  await viewer.reload();
  await viewer.getByTestId('goal-form').waitFor();
  await viewerContext.close();
  await owner.close();
});

it('a wrong password is refused in the server’s words, and too many say how long to wait', async () => {
  const email = await createOwner();
  const page = await dashboard.browser.newPage();
  await signInWithPassword(page, email, 'not the password');
  await page.getByTestId('refusal').getByText('wrong email or password').waitFor();

  for (let attempt = 1; attempt < FAILURES_PER_ACCOUNT; attempt += 1) {
    await page.getByTestId('password-sign-in').click();
    await page.getByTestId('refusal').getByText('wrong email or password').waitFor();
  }
  await page.getByTestId('password-sign-in').click();
  await page
    .getByTestId('refusal')
    .getByText(/too many failed sign-ins from this account; try again in \d+ s/)
    .waitFor();
  expect(await page.getByTestId('run-mode').count()).toBe(0);
  await page.close();
});

it('a used or unknown one-time sign-in link says why on the sign-in page, and leaves the address bar', async () => {
  const page = await dashboard.browser.newPage();
  await page.goto(`${dashboard.server.url}/?signin=pl_neverissued`);
  await page.getByTestId('link-rejected').getByText('was used already or has expired').waitFor();
  expect(page.url()).not.toContain('signin=');
  await page.getByTestId('password-input').waitFor();
  await page.close();
});

it('a person in two tenants switches between them from the tenant menu, which names their role', async () => {
  const other = await createTestTenant(dashboard.runtime, 'accounts-other');
  const email = await createMember('admin', [dashboard.tenant.id, other.id]);
  const page = await dashboard.browser.newPage({ viewport: VIEWPORT });
  await signInWithPassword(page, email, PASSWORD);
  const shown = await page.getByTestId('tenant-name').innerText();
  const target = shown === 'Test accounts' ? 'Test accounts-other' : 'Test accounts';

  await page.getByTestId('tenant-switcher').click();
  expect(await page.getByTestId('tenant-access').innerText()).toBe(`Signed in to ${shown} as admin`);
  expect(await page.getByTestId(`switch-to-${target}`).innerText()).toContain('(admin)');
  await page.getByTestId(`switch-to-${target}`).click();
  await page.locator('[data-testid="tenant-name"]', { hasText: target }).waitFor();
  await page.getByRole('link', { name: 'Members' }).click();
  await page.locator(`[data-testid="member-row"][data-email="${email}"]`).waitFor();
  await page.close();
});

it('changing the password signs the other browsers out, and "sign out everywhere" this one', async () => {
  const email = await createMember('viewer');
  const newPassword = 'a brand new passphrase';
  const [first, second] = await Promise.all([dashboard.browser.newContext(), dashboard.browser.newContext()]);
  const [here, there] = await Promise.all([first.newPage(), second.newPage()]);
  for (const page of [here, there]) {
    await signInWithPassword(page, email, PASSWORD);
    await page.getByTestId('user-menu').waitFor();
  }

  await here.getByTestId('user-menu').click();
  await here.getByTestId('change-password').click();
  await here.getByTestId('change-password-current').fill(PASSWORD);
  await here.getByTestId('change-password-new').fill(newPassword);
  await here.getByTestId('change-password-save').click();
  expect(await here.getByTestId('change-password-done').innerText()).toContain('1 other session was signed out');
  await there.reload();
  await there.getByTestId('password-input').waitFor();

  await here.getByRole('button', { name: 'Close' }).click();
  await here.getByTestId('user-menu').click();
  await here.getByTestId('sign-out-everywhere').click();
  await here.getByTestId('password-input').waitFor();
  expect(await first.cookies()).toEqual([]);

  await signInWithPassword(there, email, newPassword);
  expect(await there.getByTestId('user-menu').innerText()).toBe(email);
  await Promise.all([first.close(), second.close()]);
});

it("an owner keeps fewer days than the plan's maximum on the settings page; a viewer sees why they cannot", async () => {
  const owner = await dashboard.browser.newPage({ viewport: VIEWPORT });
  await signInWithPassword(owner, await createOwner(), PASSWORD);
  await owner.getByRole('link', { name: 'Settings' }).click();
  await owner.getByTestId('settings-retention-plan-maximum').uncheck();
  await owner.getByTestId('settings-retention-days').fill('30');
  await owner.getByTestId('settings-retention-save').click();
  await owner.getByTestId('settings-retention-now').getByText('Events are kept for 30 days;').waitFor();
  expect((await dashboard.runtime.services.tenantSettings.get(dashboard.tenant.id)).retentionDays).toBe(30);

  const viewerContext = await dashboard.browser.newContext({ viewport: VIEWPORT });
  const viewer = await viewerContext.newPage();
  await signInWithPassword(viewer, await createMember('viewer'), PASSWORD);
  await viewer.getByRole('link', { name: 'Settings' }).click();
  expect(await viewer.getByTestId('settings-retention-note').innerText()).toContain('needs the owner or admin role');
  expect(await viewer.getByTestId('settings-plan-note').innerText()).toContain('needs the owner role');
  expect(await viewer.getByTestId('settings-retention-days').isDisabled()).toBe(true);
  await Promise.all([viewerContext.close(), owner.close()]);
});
