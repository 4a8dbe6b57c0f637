import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';
import { bearer, callTrpc } from '../test/trpc-http.ts';

// People's accounts over HTTP, as the dashboard uses them: sign-in by password and by one-time link, sessions
// ended by a password change or "sign out everywhere", invitations, the rules on owners, and the audit log.

let runtime: Runtime;
let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  // The timing test fails one account's password 40 times: more than the default per-account limit allows.
  runtime = await startTestRuntime({ LOGIN_FAILURES_PER_ACCOUNT: 1_000 });
  server = await startTestServer(runtime);
  tenant = await createTestTenant(runtime, 'accounts');
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

const unique = () => randomBytes(4).toString('hex');

async function person(role: 'owner' | 'admin' | 'editor' | 'viewer', tenantId = tenant.id) {
  const email = `${role}-${unique()}@accounts.test`;
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  const user = await runtime.services.users.create(email, password);
  await runtime.prisma.membership.create({ data: { tenantId, userId: user.id, role } });
  return { email, password, userId: user.id };
}

/** Signs in over HTTP; the session cookie, or the refusal. */
async function signIn(email: string, password: string, headers: Record<string, string> = {}) {
  const answer = await callTrpc<{ user: { email: string } | null; role: string | null }>(
    server.url,
    'auth.signInWithPassword',
    'mutation',
    { email, password },
    headers,
  );
  const cookie = answer.headers.get('set-cookie')?.split(';')[0] ?? null;
  return { ...answer, cookie };
}

const as = (cookie: string) => ({ cookie });

describe('signing in', () => {
  it('signs a person in with their password, case and spaces in the email aside; the cookie is HttpOnly and SameSite=Strict', async () => {
    const owner = await person('owner');
    const answer = await signIn(`  ${owner.email.toUpperCase()} `, owner.password);
    expect(answer.status, answer.error?.message).toBe(200);
    expect(answer.data).toMatchObject({ user: { email: owner.email }, role: 'owner', tenant: { id: tenant.id } });
    expect(answer.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const whoAmI = await callTrpc<{ user: { email: string } }>(server.url, 'auth.whoAmI', 'query', undefined, as(answer.cookie!));
    expect(whoAmI.data!.user.email).toBe(owner.email);
  });

  it('answers a wrong password and an unknown email alike, and never with a cookie', async () => {
    const owner = await person('viewer');
    const wrong = await signIn(owner.email, 'not the password');
    const unknown = await signIn(`nobody-${unique()}@accounts.test`, owner.password);
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(401);
      expect(answer.error!.message).toBe('wrong email or password');
      expect(answer.cookie).toBeNull();
    }
  });

  it('a one-time link signs in once', async () => {
    const viewer = await person('viewer');
    const { token } = await runtime.services.operator.signInLink(viewer.email);
    const first = await callTrpc(server.url, 'auth.signInWithLink', 'mutation', { token });
    expect(first.status, first.error?.message).toBe(200);
    const again = await callTrpc(server.url, 'auth.signInWithLink', 'mutation', { token });
    expect(again.status).toBe(401);
    expect(again.error!.message).toMatch(/used already or has expired/);
  });

  it('a password change ends the other sessions but this one, and the old password stops working', async () => {
    const editor = await person('editor');
    const [here, elsewhere] = [await signIn(editor.email, editor.password), await signIn(editor.email, editor.password)];
    const refused = await callTrpc(
      server.url,
      'auth.changePassword',
      'mutation',
      { currentPassword: 'wrong', newPassword: 'a new password 123' },
      as(here.cookie!),
    );
    expect(refused.status).toBe(403);
    const changed = await callTrpc(
      server.url,
      'auth.changePassword',
      'mutation',
      { currentPassword: editor.password, newPassword: 'a new password 123' },
      as(here.cookie!),
    );
    expect(changed.data).toEqual({ otherSessionsEnded: 1 });
    expect((await callTrpc(server.url, 'auth.whoAmI', 'query', undefined, as(here.cookie!))).status).toBe(200);
    expect((await callTrpc(server.url, 'auth.whoAmI', 'query', undefined, as(elsewhere.cookie!))).status).toBe(401);
    expect((await signIn(editor.email, editor.password)).status).toBe(401);
    expect((await signIn(editor.email, 'a new password 123')).status).toBe(200);
  });

  it('signs out everywhere', async () => {
    const admin = await person('admin');
    const sessions = [await signIn(admin.email, admin.password), await signIn(admin.email, admin.password)];
    const ended = await callTrpc(server.url, 'auth.signOutEverywhere', 'mutation', undefined, as(sessions[0]!.cookie!));
    expect(ended.data).toEqual({ sessionsEnded: 2 });
    for (const session of sessions) expect((await callTrpc(server.url, 'auth.whoAmI', 'query', undefined, as(session.cookie!))).status).toBe(401);
  });
});

describe('members and invitations', () => {
  it('an invitation link makes a new account a member with its role, once; the change is in the audit log', async () => {
    const owner = await person('owner');
    const ownerCookie = (await signIn(owner.email, owner.password)).cookie!;
    const invited = await callTrpc<{ token: string; role: string }>(server.url, 'members.invite', 'mutation', { role: 'viewer' }, as(ownerCookie));
    expect(invited.status, invited.error?.message).toBe(200);
    const token = invited.data!.token;
    expect((await callTrpc(server.url, 'invitations.preview', 'query', { token })).data).toMatchObject({ tenantName: 'Test accounts', role: 'viewer' });

    const email = `joiner-${unique()}@accounts.test`;
    const accepted = await callTrpc<{ role: string; tenant: { id: number } }>(server.url, 'invitations.accept', 'mutation', {
      token,
      account: 'new',
      email,
      password: 'joiner password 1',
    });
    expect(accepted.status, accepted.error?.message).toBe(200);
    expect(accepted.data).toMatchObject({ role: 'viewer', tenant: { id: tenant.id } });
    const viewerCookie = accepted.headers.get('set-cookie')!.split(';')[0]!;
    expect((await callTrpc(server.url, 'keys.create', 'mutation', { name: 'nope', scope: 'read' }, as(viewerCookie))).status).toBe(403);

    const again = await callTrpc(server.url, 'invitations.accept', 'mutation', {
      token,
      account: 'new',
      email: `late-${unique()}@accounts.test`,
      password: 'late password 12',
    });
    expect(again.status).toBe(404);

    const members = await callTrpc<{ members: Array<{ userId: number; email: string; role: string }> }>(
      server.url,
      'members.list',
      'query',
      undefined,
      as(ownerCookie),
    );
    const joiner = members.data!.members.find((member) => member.email === email)!;
    expect(joiner.role).toBe('viewer');
    const promoted = await callTrpc(server.url, 'members.changeRole', 'mutation', { userId: joiner.userId, role: 'editor' }, as(ownerCookie));
    expect(promoted.data).toEqual({ userId: joiner.userId, role: 'editor', previousRole: 'viewer' });

    // The answer does not wait on the audit log's write: wait for the entries.
    const auditLog = async () =>
      (
        await callTrpc<{ entries: Array<{ action: string; actor: string; target: string; details: Record<string, unknown> }> }>(
          server.url,
          'audit.list',
          'query',
          {},
          as(ownerCookie),
        )
      ).data!;
    await expect
      .poll(async () => (await auditLog()).entries.map((entry) => [entry.action, entry.actor]))
      .toEqual(
        expect.arrayContaining([
          ['members.changeRole', owner.email],
          ['invitations.accept', email],
          ['members.invite', owner.email],
        ]),
      );
    const audit = { data: await auditLog() };
    expect(audit.data.entries.find((entry) => entry.action === 'members.changeRole')).toMatchObject({
      target: `userId ${joiner.userId}`,
      details: { role: 'editor' },
    });
    expect(JSON.stringify(audit.data)).not.toContain(token);
  });

  it('keeps an owner: the last one can neither leave nor be demoted, and only owners touch owners', async () => {
    const own = await createTestTenant(runtime, 'owners');
    const owner = await person('owner', own.id);
    const admin = await person('admin', own.id);
    const ownerCookie = (await signIn(owner.email, owner.password)).cookie!;
    const adminCookie = (await signIn(admin.email, admin.password)).cookie!;

    expect((await callTrpc(server.url, 'members.leave', 'mutation', undefined, as(ownerCookie))).status).toBe(409);
    const demoted = await callTrpc(server.url, 'members.changeRole', 'mutation', { userId: owner.userId, role: 'admin' }, as(ownerCookie));
    expect(demoted.status).toBe(409);
    expect(demoted.error!.message).toMatch(/needs an owner/);
    expect((await callTrpc(server.url, 'members.remove', 'mutation', { userId: owner.userId }, as(adminCookie))).status).toBe(403);
    expect((await callTrpc(server.url, 'members.invite', 'mutation', { role: 'owner' }, as(adminCookie))).status).toBe(403);
    expect((await callTrpc(server.url, 'members.changeRole', 'mutation', { userId: admin.userId, role: 'owner' }, as(adminCookie))).status).toBe(403);

    // With a second owner, the first may go.
    expect((await callTrpc(server.url, 'members.changeRole', 'mutation', { userId: admin.userId, role: 'owner' }, as(ownerCookie))).status).toBe(200);
    expect((await callTrpc(server.url, 'members.leave', 'mutation', undefined, as(ownerCookie))).status).toBe(200);
    // Gone from the tenant, the session has nowhere left to be.
    expect((await callTrpc(server.url, 'auth.whoAmI', 'query', undefined, as(ownerCookie))).status).toBe(401);
  });

  it('an admin key manages keys but not members; its changes are audited as the key', async () => {
    expect((await callTrpc(server.url, 'members.list', 'query', undefined, bearer(tenant.keys.admin))).status).toBe(403);
    const created = await callTrpc<{ id: number }>(server.url, 'keys.create', 'mutation', { name: 'audited', scope: 'read' }, bearer(tenant.keys.admin));
    const auditedKeys = async () =>
      (await runtime.services.audit.list(tenant.id, 50)).entries.filter((row) => row.action === 'keys.create' && row.details.name === 'audited');
    await expect.poll(auditedKeys).toEqual([expect.objectContaining({ actorKind: 'key', actor: expect.stringMatching(/^key #\d+ \(admin\)$/) })]);
    expect(created.status).toBe(200);
  });
});

describe('login limits', () => {
  let limited: Runtime;
  let limitedServer: TestServer;
  beforeAll(async () => {
    // Its own Redis prefix: these counts must not meet the other tests' (nor theirs these).
    limited = await startTestRuntime({ LOGIN_FAILURES_PER_ACCOUNT: 4, LOGIN_FAILURES_PER_ADDRESS: 10, REDIS_KEY_PREFIX: `login-limits-${unique()}:` });
    limitedServer = await startTestServer(limited, { trustProxy: 'loopback' });
  });
  afterAll(async () => {
    await limitedServer?.close();
    await limited?.close();
  });

  const from = (address: string) => ({ 'x-forwarded-for': address });
  const attempt = (email: string, password: string, address: string) =>
    callTrpc(limitedServer.url, 'auth.signInWithPassword', 'mutation', { email, password }, from(address));

  it('refuses an account after its failures, even with the right password, and an unknown email the same way', async () => {
    const tenantOfLimits = await createTestTenant(limited, 'limits');
    const email = `limited-${unique()}@accounts.test`;
    const user = await limited.services.users.create(email, 'the right password');
    await limited.prisma.membership.create({ data: { tenantId: tenantOfLimits.id, userId: user.id, role: 'viewer' } });
    const nobody = `nobody-${unique()}@accounts.test`;
    for (let i = 0; i < 4; i++) {
      expect((await attempt(email, `wrong ${i}`, `10.0.0.${i}`)).status).toBe(401);
      expect((await attempt(nobody, `wrong ${i}`, `10.0.1.${i}`)).status).toBe(401);
    }
    for (const who of [email, nobody]) {
      const refused = await attempt(who, 'the right password', '10.0.2.1');
      expect(refused.status).toBe(429);
      expect(refused.error!.message).toMatch(/too many failed sign-ins from this account; try again in \d+ s/);
    }
    expect(refused429Message(await attempt(email, 'the right password', '10.0.2.2'))).toBe(refused429Message(await attempt(nobody, 'x', '10.0.2.3')));
  });

  it('refuses an address after its failures across accounts; other addresses still sign in', async () => {
    const tenantOfLimits = await createTestTenant(limited, 'limits-address');
    const email = `sprayed-${unique()}@accounts.test`;
    const user = await limited.services.users.create(email, 'sprayed password');
    await limited.prisma.membership.create({ data: { tenantId: tenantOfLimits.id, userId: user.id, role: 'viewer' } });
    for (let i = 0; i < 10; i++) expect((await attempt(`spray-${i}-${unique()}@accounts.test`, 'guess', '10.9.9.9')).status).toBe(401);
    const refused = await attempt(email, 'sprayed password', '10.9.9.9');
    expect(refused.status).toBe(429);
    expect(refused.error!.message).toMatch(/from this address/);
    expect((await attempt(email, 'sprayed password', '10.9.9.10')).status).toBe(200);
  });
});

function refused429Message(answer: { status: number; error?: { message: string } }): string {
  return `${answer.status} ${answer.error?.message.replace(/\d+ s$/, 'N s')}`;
}

describe('login timing', () => {
  it('takes the same time for an unknown email as for a wrong password (measured, interleaved)', async () => {
    const known = await person('viewer');
    const samples = { unknown: [] as number[], wrongPassword: [] as number[] };
    const time = async (email: string) => {
      const started = performance.now();
      const answer = await callTrpc(server.url, 'auth.signInWithPassword', 'mutation', { email, password: 'certainly wrong' });
      expect(answer.status).toBe(401);
      return performance.now() - started;
    };
    // Interleaved, so whatever else the machine does weighs on both kinds alike.
    for (let i = 0; i < 40; i++) {
      samples.unknown.push(await time(`unknown-${i}-${unique()}@accounts.test`));
      samples.wrongPassword.push(await time(known.email));
    }
    const ratio = median(samples.unknown) / median(samples.wrongPassword);
    expect(ratio).toBeGreaterThan(0.75);
    expect(ratio).toBeLessThan(1.33);
    // Two-sample Kolmogorov–Smirnov: the distributions themselves, not just their middles (critical D at α = 0.001, n = m = 40: 0.44).
    expect(ksStatistic(samples.unknown, samples.wrongPassword)).toBeLessThan(0.44);
    // Both pay for a password hash: far more than a lookup that skipped it.
    expect(Math.min(median(samples.unknown), median(samples.wrongPassword))).toBeGreaterThan(5);
  }, 60_000);
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function ksStatistic(a: number[], b: number[]): number {
  const all = [...a, ...b].sort((x, y) => x - y);
  const cdf = (values: number[], at: number) => values.filter((value) => value <= at).length / values.length;
  return Math.max(...all.map((at) => Math.abs(cdf(a, at) - cdf(b, at))));
}
