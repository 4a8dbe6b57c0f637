import { createHash } from 'node:crypto';
import type { TApiKeyInfo, TCreatedApiKey, TSessionTenant } from '@pulse/shared/auth';
import type { TWhoAmI } from '@pulse/shared/system';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse } from '../infra/sse/sse-reader.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';
import { bearer, callTrpc } from '../test/trpc-http.ts';

// Two instances share PostgreSQL and Redis, as behind a load balancer.
let instanceA: Runtime;
let instanceB: Runtime;
let serverA: TestServer;
let serverB: TestServer;
let tenant: TestTenant;
let otherTenant: TestTenant;

beforeAll(async () => {
  [instanceA, instanceB] = await Promise.all([startTestRuntime(), startTestRuntime()]);
  [serverA, serverB] = await Promise.all([startTestServer(instanceA), startTestServer(instanceB)]);
  tenant = await createTestTenant(instanceA, 'keys');
  otherTenant = await createTestTenant(instanceA, 'keys-other');
});

afterAll(async () => {
  await Promise.all([serverA?.close(), serverB?.close()]);
  await Promise.all([instanceA?.close(), instanceB?.close()]);
});

const whoAmI = (url: string, headers: Record<string, string>) => callTrpc<TWhoAmI>(url, 'auth.whoAmI', 'query', undefined, headers);
const createKey = (adminKey: string, name: string, scope: 'ingest' | 'read' | 'admin') =>
  callTrpc<TCreatedApiKey>(serverA.url, 'keys.create', 'mutation', { name, scope }, bearer(adminKey));
const listKeys = (adminKey: string) => callTrpc<TApiKeyInfo[]>(serverA.url, 'keys.list', 'query', undefined, bearer(adminKey));
const revokeKey = (url: string, adminKey: string, id: number) => callTrpc<TApiKeyInfo>(url, 'keys.revoke', 'mutation', { id }, bearer(adminKey));

describe('API keys, managed by admin keys', () => {
  it('shows a new key once, lists only its prefix, and stores only its SHA-256', async () => {
    const created = await createKey(tenant.keys.admin, 'website', 'ingest');
    expect(created.status).toBe(200);
    const key = created.data!;
    expect(key).toMatchObject({ name: 'website', scope: 'ingest', revokedAt: null, lastUsedAt: null });
    expect(key.key.startsWith(key.prefix)).toBe(true);

    const listed = (await listKeys(tenant.keys.admin)).data!;
    const entry = listed.find((candidate) => candidate.id === key.id);
    expect(entry).toMatchObject({ name: 'website', prefix: key.prefix });
    expect(JSON.stringify(listed)).not.toContain(key.key);

    const { rows } = await instanceA.pool.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [key.id]);
    expect(rows[0]!.key_hash).toBe(createHash('sha256').update(key.key).digest('hex'));
    expect(Object.values(rows[0]!).map(String)).not.toContain(key.key);
  });

  it('records when a key was last used', async () => {
    const { key, id } = (await createKey(tenant.keys.admin, 'reporting', 'read')).data!;
    expect((await whoAmI(serverA.url, bearer(key))).status).toBe(200);
    await expect
      .poll(async () => (await listKeys(tenant.keys.admin)).data!.find((entry) => entry.id === id)!.lastUsedAt, { timeout: 5_000, interval: 10 })
      .not.toBeNull();
  });

  it('a revoked key stops working at once on this instance and, through Redis, on the other', async () => {
    const { key, id } = (await createKey(tenant.keys.admin, 'to revoke', 'read')).data!;
    // Both instances have seen the key work, so both remember it.
    expect((await whoAmI(serverA.url, bearer(key))).status).toBe(200);
    expect((await whoAmI(serverB.url, bearer(key))).status).toBe(200);

    const revoked = await revokeKey(serverA.url, tenant.keys.admin, id);
    expect(revoked.data!.revokedAt).not.toBeNull();
    expect((await whoAmI(serverA.url, bearer(key))).status).toBe(401);
    // Without the announcement instance B would accept the key for up to 10 s more.
    await expect.poll(async () => (await whoAmI(serverB.url, bearer(key))).status, { timeout: 2_000, interval: 10 }).toBe(401);
  });

  it("ends a revoked key's open live stream with a 401", async () => {
    const { key, id } = (await createKey(tenant.keys.admin, 'streaming', 'read')).data!;
    const stream = await openSse(`${serverB.url}/trpc/analytics.live?input=%7B%7D`, bearer(key));
    try {
      await revokeKey(serverA.url, tenant.keys.admin, id);
      // Streams check their key every 5 s.
      const ending = await stream.next(8_000);
      expect(ending.event).toBe('serialized-error');
      expect(JSON.parse(ending.data)).toMatchObject({ data: { httpStatus: 401 } });
    } finally {
      stream.close();
    }
  });

  it("refuses to revoke the last admin key, another tenant's key, and callers without an admin key", async () => {
    const admins = (await listKeys(tenant.keys.admin)).data!.filter((entry) => entry.scope === 'admin' && entry.revokedAt === null);
    expect(admins).toHaveLength(1);
    const lastAdmin = await revokeKey(serverA.url, tenant.keys.admin, admins[0]!.id);
    expect(lastAdmin.status).toBe(409);
    expect(lastAdmin.error!.message).toMatch(/last active admin key/);

    const othersKeys = (await listKeys(otherTenant.keys.admin)).data!;
    const foreign = await revokeKey(serverA.url, tenant.keys.admin, othersKeys[0]!.id);
    expect(foreign.status).toBe(404);
    expect((await whoAmI(serverA.url, bearer(otherTenant.keys.read))).status).toBe(200);

    expect((await listKeys(tenant.keys.read)).status).toBe(403);
    expect((await createKey(tenant.keys.ingest, 'sneaky', 'admin')).status).toBe(403);
  });

  it("names what is wrong with a new key's name or scope", async () => {
    const unnamed = await createKey(tenant.keys.admin, '  ', 'read');
    expect(unnamed.status).toBe(400);
    expect(unnamed.error!.message).toMatch(/name/);
    const badScope = await createKey(tenant.keys.admin, 'x', 'owner' as 'admin');
    expect(badScope.status).toBe(400);
    expect(badScope.error!.message).toMatch(/scope/);
  });
});

/** A browser's cookie jar for one origin: enough for one session cookie. */
class CookieJar {
  cookie: string | null = null;
  lastSetCookie: string | null = null;

  headers(): Record<string, string> {
    return this.cookie ? { cookie: this.cookie } : {};
  }

  take(headers: Headers): void {
    this.lastSetCookie = headers.get('set-cookie');
    if (!this.lastSetCookie) return;
    const [pair] = this.lastSetCookie.split(';');
    this.cookie = pair!.endsWith('=') ? null : pair!;
  }
}

describe('dashboard sign-in', () => {
  async function signIn(jar: CookieJar, apiKey: string, url = serverA.url) {
    const answer = await callTrpc<TWhoAmI>(url, 'auth.signIn', 'mutation', { apiKey }, jar.headers());
    jar.take(answer.headers);
    return answer;
  }

  it('trades a read key for an HttpOnly, SameSite=Strict cookie that works on every instance', async () => {
    const jar = new CookieJar();
    const answer = await signIn(jar, tenant.keys.read);
    expect(answer.data).toMatchObject({ tenant: { slug: tenant.slug }, scope: 'read' });
    expect(jar.lastSetCookie).toMatch(/^pulse_session=ps_[\w-]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    expect(jar.lastSetCookie).not.toContain(tenant.keys.read);

    expect((await whoAmI(serverA.url, jar.headers())).data).toMatchObject({ tenant: { slug: tenant.slug } });
    expect((await whoAmI(serverB.url, jar.headers())).data).toMatchObject({ tenant: { slug: tenant.slug } });
    expect((await callTrpc(serverB.url, 'keys.list', 'query', undefined, jar.headers())).status).toBe(403);
  });

  it('marks the cookie Secure when the request came over HTTPS through a trusted proxy', async () => {
    const behindProxy = await startTestServer(instanceA, { trustProxy: 'loopback' });
    try {
      const answer = await callTrpc(behindProxy.url, 'auth.signIn', 'mutation', { apiKey: tenant.keys.read }, { 'x-forwarded-proto': 'https' });
      expect(answer.headers.get('set-cookie')).toMatch(/; Secure$/);
    } finally {
      await behindProxy.close();
    }
  });

  it('refuses ingest keys and wrong keys, and sets no cookie', async () => {
    const jar = new CookieJar();
    const ingest = await signIn(jar, tenant.keys.ingest);
    expect(ingest.status).toBe(403);
    expect(ingest.error!.message).toMatch(/write-only/);
    const wrong = await signIn(jar, 'pk_read_not-a-key');
    expect(wrong.status).toBe(401);
    expect(jar.cookie).toBeNull();
    expect((await whoAmI(serverA.url, { cookie: 'pulse_session=ps_made-up' })).status).toBe(401);
  });

  it('holds several tenants for the switcher, switches between them, and signs out one at a time', async () => {
    const jar = new CookieJar();
    await signIn(jar, tenant.keys.read);
    const cookie = jar.cookie;
    await signIn(jar, otherTenant.keys.admin);
    expect(jar.cookie).toBe(cookie);
    expect((await whoAmI(serverA.url, jar.headers())).data!.tenant.slug).toBe(otherTenant.slug);

    const tenants = (await callTrpc<TSessionTenant[]>(serverA.url, 'auth.sessionTenants', 'query', undefined, jar.headers())).data!;
    expect(tenants.map((entry) => [entry.tenantName, entry.scope, entry.current])).toEqual([
      ['Test keys-other', 'admin', true],
      ['Test keys', 'read', false],
    ]);

    const switched = await callTrpc<TWhoAmI>(serverB.url, 'auth.switchTenant', 'mutation', { keyId: tenants[1]!.keyId }, jar.headers());
    expect(switched.data!.tenant.slug).toBe(tenant.slug);
    expect((await whoAmI(serverA.url, jar.headers())).data!.tenant.slug).toBe(tenant.slug);

    const first = await callTrpc<{ signedIn: boolean }>(serverA.url, 'auth.signOut', 'mutation', undefined, jar.headers());
    jar.take(first.headers);
    expect(first.data).toEqual({ signedIn: true });
    expect((await whoAmI(serverA.url, jar.headers())).data!.tenant.slug).toBe(otherTenant.slug);

    const last = await callTrpc<{ signedIn: boolean }>(serverA.url, 'auth.signOut', 'mutation', undefined, jar.headers());
    expect(last.data).toEqual({ signedIn: false });
    expect(last.headers.get('set-cookie')).toMatch(/^pulse_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
    expect((await whoAmI(serverA.url, { cookie: cookie! })).status).toBe(401);
  });

  it('cannot switch to a key this browser never signed in with', async () => {
    const jar = new CookieJar();
    await signIn(jar, tenant.keys.read);
    const foreignKeyId = (await listKeys(otherTenant.keys.admin)).data![0]!.id;
    const answer = await callTrpc(serverA.url, 'auth.switchTenant', 'mutation', { keyId: foreignKeyId }, jar.headers());
    expect(answer.status).toBe(404);
    expect((await whoAmI(serverA.url, jar.headers())).data!.tenant.slug).toBe(tenant.slug);
  });

  it('ends a session whose key is revoked', async () => {
    const { key, id } = (await createKey(tenant.keys.admin, 'signed in', 'read')).data!;
    const jar = new CookieJar();
    await signIn(jar, key);
    expect((await whoAmI(serverA.url, jar.headers())).status).toBe(200);
    await revokeKey(serverA.url, tenant.keys.admin, id);
    const ended = await whoAmI(serverA.url, jar.headers());
    expect(ended.status).toBe(401);
    expect(ended.error!.message).toMatch(/session has ended/);
  });
});
