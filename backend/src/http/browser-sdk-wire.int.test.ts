import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';

// The requests browser SDKs make, as they make them (the real SDKs in Chromium are in web/e2e/*-sdk.browser.test.ts).
let runtime: Runtime;
let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  runtime = await startTestRuntime();
  server = await startTestServer(runtime);
  tenant = await createTestTenant(runtime, 'browser-wire');
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

const PAGE_ORIGIN = 'https://shop.example';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
let sequence = 0;
const nextId = (label: string) => `wire-${label}-${(sequence += 1)}-${Date.now()}`;

async function send(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: PAGE_ORIGIN, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

async function stored(messageId: string) {
  const { rows } = await runtime.pool.query(
    'SELECT type, name, user_id, anonymous_id, session_id, properties FROM events WHERE tenant_id = $1 AND message_id = $2',
    [tenant.id, messageId],
  );
  return rows as Array<{ type: string; name: string; user_id: string | null; anonymous_id: string | null; session_id: string | null; properties: any }>;
}

describe("Segment's browser SDK (analytics-next)", () => {
  it('posts each call type to its first letter as text/plain, with the key as Basic user name, userId null when anonymous', async () => {
    const anonymousId = 'anon-segment-1';
    const calls = [
      { path: 't', type: 'track', extra: { event: 'Signed Up', properties: { plan: 'pro' } }, name: 'Signed Up' },
      { path: 'p', type: 'page', extra: { name: 'Pricing', category: 'Marketing', properties: { path: '/pricing' } }, name: 'page_view' },
      { path: 's', type: 'screen', extra: { name: 'Home' }, name: 'screen_view' },
      { path: 'i', type: 'identify', extra: { traits: { email: 'a@example.com' } }, name: 'identify' },
      { path: 'g', type: 'group', extra: { groupId: 'acme', traits: { seats: 5 } }, name: 'group' },
      { path: 'a', type: 'alias', extra: { previousId: anonymousId }, name: 'alias' },
    ];
    for (const call of calls) {
      const messageId = nextId(call.path);
      const body = { type: call.type, messageId, anonymousId, userId: null, writeKey: tenant.keys.ingest, _metadata: { bundled: [] }, ...call.extra };
      const answer = await send(`/v1/${call.path}`, body, { authorization: basic(tenant.keys.ingest), 'x-retry-count': '0' });
      expect(answer, call.path).toMatchObject({ status: 200, body: { accepted: 1 } });
      const [row] = await stored(messageId);
      expect(row, call.path).toMatchObject({ type: call.type, name: call.name, user_id: null, anonymous_id: anonymousId });
    }
  });

  it('keeps what each call type carries: page name and category, group id and traits, alias previous id', async () => {
    const page = nextId('page-name');
    const group = nextId('group');
    await send('/v1/page', { type: 'page', messageId: page, userId: 'u-7', name: 'Pricing', category: 'Marketing', writeKey: tenant.keys.ingest });
    await send('/v1/group', { messageId: group, userId: 'u-7', groupId: 42, traits: { seats: 5 }, writeKey: tenant.keys.ingest });
    expect((await stored(page))[0]!.properties).toMatchObject({ name: 'Pricing', category: 'Marketing' });
    expect((await stored(group))[0]!.properties).toEqual({ groupId: '42', traits: { seats: 5 } });
  });

  it('batches to /v1/b with the key only in the body; a retried batch is stored once', async () => {
    const ids = [nextId('b'), nextId('b')];
    const batch = {
      writeKey: tenant.keys.ingest,
      sentAt: new Date().toISOString(),
      batch: ids.map((messageId) => ({ type: 'track', event: 'Clicked', messageId, anonymousId: 'a-b' })),
    };
    expect(await send('/v1/b', batch)).toMatchObject({ status: 200, body: { accepted: 2 } });
    expect(await send('/v1/b', batch, { 'x-retry-count': '1' })).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 2 } });
    for (const id of ids) expect(await stored(id)).toHaveLength(1);
  });

  it('takes the key from X-Write-Key or ?writeKey= too, and refuses a wrong one before reading the body', async () => {
    const viaHeader = nextId('x-write-key');
    const viaQuery = nextId('query');
    expect((await send('/v1/t', { event: 'e', messageId: viaHeader, anonymousId: 'a' }, { 'x-write-key': tenant.keys.ingest })).status).toBe(200);
    expect((await send(`/v1/t?writeKey=${tenant.keys.ingest}`, { event: 'e', messageId: viaQuery, anonymousId: 'a' })).status).toBe(200);
    expect((await send('/v1/t', { event: 'e', messageId: nextId('none'), anonymousId: 'a' })).status).toBe(401);
    const wrong = await send('/v1/t', { event: 'e', messageId: nextId('wrong'), writeKey: tenant.keys.ingest }, { 'x-write-key': 'pk_ingest_nope' });
    expect(wrong.status).toBe(401);
  });

  it('serves the settings that make the SDK send here and nowhere else, for a known key only', async () => {
    const response = await fetch(`${server.url}/v1/projects/${tenant.keys.ingest}/settings`, { headers: { origin: PAGE_ORIGIN } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const settings = (await response.json()) as any;
    expect(settings.integrations['Segment.io']).toEqual({ apiKey: tenant.keys.ingest, apiHost: `${new URL(server.url).host}/v1`, protocol: 'http' });
    expect(settings).toMatchObject({ remotePlugins: [], metrics: { sampleRate: 0 } });
    expect((await fetch(`${server.url}/v1/projects/pk_ingest_nope/settings`)).status).toBe(401);
  });

  it("answers the SDK's own metrics at /v1/m, counts them on /metrics, and stores nothing", async () => {
    const before = await eventCount();
    const answer = await send('/v1/m', { series: [{ type: 'Counter', metric: 'analytics_js.invoke', value: 1, tags: {} }] });
    expect(answer.status).toBe(200);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^pulse_sdk_reports_total [1-9]/m);
    expect(await eventCount()).toBe(before);
  });
});

describe("RudderStack's browser SDK (analytics-js 3)", () => {
  it('stores anonymous events with userId "" and a numeric session id, the anonymous id also in its header', async () => {
    const messageId = nextId('rudder');
    const body = {
      type: 'track',
      event: 'Viewed',
      messageId,
      userId: '',
      anonymousId: 'rudder-anon',
      channel: 'web',
      originalTimestamp: new Date().toISOString(),
      context: { sessionId: 1733260000000, sessionStart: true },
      integrations: { All: true },
    };
    const headers = {
      'content-type': 'application/json;charset=UTF-8',
      authorization: basic(tenant.keys.ingest),
      anonymousid: Buffer.from('rudder-anon').toString('base64'),
    };
    expect(await send('/v1/track', body, headers)).toMatchObject({ status: 200, body: { accepted: 1 } });
    expect((await stored(messageId))[0]).toMatchObject({ user_id: null, anonymous_id: 'rudder-anon', session_id: '1733260000000' });
  });

  it('serves its source config, and takes its beacons at /beacon/v1/batch?writeKey=', async () => {
    const config = await fetch(`${server.url}/sourceConfig/?p=npm&v=3&writeKey=${tenant.keys.ingest}`, {
      headers: { authorization: basic(tenant.keys.ingest) },
    });
    expect(config.status).toBe(200);
    expect(((await config.json()) as any).source).toMatchObject({ enabled: true, destinations: [], writeKey: tenant.keys.ingest });
    const messageId = nextId('beacon');
    const beacon = { sentAt: new Date().toISOString(), batch: [{ type: 'page', messageId, userId: '', anonymousId: 'beacon-anon', name: 'Home' }] };
    expect(await send(`/beacon/v1/batch?writeKey=${tenant.keys.ingest}`, beacon)).toMatchObject({ status: 200, body: { accepted: 1 } });
    expect(await stored(messageId)).toHaveLength(1);
  });
});

describe('CORS for pages on any origin', () => {
  it('lets a page preflight an event with the SDK headers, without credentials', async () => {
    const response = await fetch(`${server.url}/v1/t`, {
      method: 'OPTIONS',
      headers: { origin: PAGE_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-retry-count' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/X-Retry-Count/);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives no other origin access to the dashboard API', async () => {
    const response = await fetch(`${server.url}/trpc/auth.whoAmI`, { headers: { origin: PAGE_ORIGIN } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('visitors who send no id', () => {
  it('get a cookieless id from the day, the address and the browser: the same for one visitor, different for another', async () => {
    const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
    const ids = [nextId('cl'), nextId('cl'), nextId('cl')];
    const track = (messageId: string, userAgent: string) =>
      send(`/v1/batch?writeKey=${tenant.keys.ingest}`, { batch: [{ type: 'page', messageId, context: { page: { path: '/' } } }] }, { 'user-agent': userAgent });
    await track(ids[0]!, chrome);
    await track(ids[1]!, chrome);
    await track(ids[2]!, firefox);
    const [first, again, other] = await Promise.all(ids.map(async (id) => (await stored(id))[0]!.anonymous_id));
    expect(first).toMatch(/^cl_[\w-]{22}$/);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    const { rows } = await runtime.pool.query('SELECT day FROM visitor_salts');
    expect(rows).toHaveLength(1);
  });
});

async function eventCount(): Promise<number> {
  const { rows } = await runtime.pool.query('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1', [tenant.id]);
  return rows[0].n;
}
