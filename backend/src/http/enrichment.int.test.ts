import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { rollupDisagreements } from '../test/rollup-consistency.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';

// What the server adds to events at ingest, through the real HTTP path: country from the client's address
// (a trusted proxy's X-Forwarded-For only), browser/OS/device/bot from the user agent, and bots left out of counts.
let runtime: Runtime;
let behindProxy: TestServer;
let direct: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  runtime = await startTestRuntime();
  behindProxy = await startTestServer(runtime, { trustProxy: 'loopback' });
  direct = await startTestServer(runtime);
  tenant = await createTestTenant(runtime, 'enrichment');
});

afterAll(async () => {
  await behindProxy?.close();
  await direct?.close();
  await runtime?.close();
});

let sequence = 0;
const nextId = () => `enrich-${(sequence += 1)}-${Date.now()}`;

/** One page view as a browser page sends it: Origin and User-Agent headers, no ids. */
async function pageView(server: TestServer, headers: Record<string, string>, context: Record<string, unknown> = {}) {
  const messageId = nextId();
  const response = await fetch(`${server.url}/v1/batch?writeKey=${tenant.keys.ingest}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: 'https://shop.example', ...headers },
    body: JSON.stringify({ batch: [{ type: 'page', messageId, context: { page: { path: '/pricing', url: 'https://shop.example/pricing' }, ...context } }] }),
  });
  expect(response.status).toBe(200);
  const { rows } = await runtime.pool.query('SELECT * FROM events WHERE tenant_id = $1 AND message_id = $2', [tenant.id, messageId]);
  return rows[0] as Record<string, unknown>;
}

describe('country', () => {
  it("comes from a trusted proxy's forwarded address", async () => {
    // Only a header value: nothing is sent to these addresses.
    expect((await pageView(behindProxy, { 'x-forwarded-for': '8.8.8.8' })).country).toBe('US');
    expect((await pageView(behindProxy, { 'x-forwarded-for': '2003::1' })).country).toBe('DE');
  });

  it('ignores X-Forwarded-For without TRUST_PROXY, and has none for a private address', async () => {
    expect((await pageView(direct, { 'x-forwarded-for': '8.8.8.8' })).country).toBeNull();
    expect((await pageView(behindProxy, { 'x-forwarded-for': '10.1.2.3' })).country).toBeNull();
  });
});

describe('user agent', () => {
  const cases: Array<[label: string, userAgent: string, expected: Record<string, unknown>]> = [
    [
      'Chrome on Windows',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      { browser: 'Chrome', os: 'Windows', device: 'desktop', is_bot: false },
    ],
    [
      'Safari on iPhone',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      { browser: 'Safari', os: 'iOS', device: 'mobile', is_bot: false },
    ],
    [
      'Chrome on iOS',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
      { browser: 'Chrome', os: 'iOS', device: 'mobile', is_bot: false },
    ],
    [
      'an Android tablet',
      'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      { os: 'Android', device: 'tablet', is_bot: false },
    ],
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', { is_bot: true, device: null }],
  ];

  it.each(cases)('describes %s', async (_label, userAgent, expected) => {
    expect(await pageView(direct, { 'user-agent': userAgent })).toMatchObject(expected);
  });

  it("prefers the SDK's context.userAgent, and ignores a server sender's own User-Agent", async () => {
    const firefox = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0';
    expect(await pageView(direct, { 'user-agent': 'curl/8.5.0' }, { userAgent: firefox })).toMatchObject({ browser: 'Firefox', os: 'macOS', is_bot: false });
    const messageId = nextId();
    await fetch(`${direct.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.keys.ingest}`, 'user-agent': 'curl/8.5.0' },
      body: JSON.stringify({ event: 'server_side', userId: 'u-1', messageId }),
    });
    const { rows } = await runtime.pool.query('SELECT browser, is_bot FROM events WHERE tenant_id = $1 AND message_id = $2', [tenant.id, messageId]);
    expect(rows[0]).toEqual({ browser: null, is_bot: false });
  });
});

describe('referrer and campaign', () => {
  it('names the referring site and reads the UTM fields from the page URL', async () => {
    const row = await pageView(
      direct,
      {},
      { page: { path: '/', url: 'https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=launch', referrer: 'https://www.google.de/' } },
    );
    expect(row).toMatchObject({ referrer_source: 'Google', utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'launch' });
  });
});

describe('bots', () => {
  it('are stored but left out of every count, and counted in their own breakdown', async () => {
    const counted = await createTestTenant(runtime, 'enrichment-bots');
    const send = async (userAgent: string, count: number) => {
      const batch = Array.from({ length: count }, (_, i) => ({ type: 'page', messageId: `${nextId()}-${i}`, context: { page: { path: '/' } } }));
      const response = await fetch(`${direct.url}/v1/batch?writeKey=${counted.keys.ingest}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: 'https://shop.example', 'user-agent': userAgent },
        body: JSON.stringify({ batch }),
      });
      expect(response.status).toBe(200);
    };
    await send('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 3);
    await send('Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 5);
    const range = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    const { analytics } = runtime.services;
    expect(await analytics.summary(counted.id, range)).toMatchObject({ totalEvents: 3, uniqueUsers: 1 });
    expect((await analytics.breakdown(counted.id, { ...range, by: 'browser' })).rows).toEqual([{ value: 'Chrome', count: 3 }]);
    expect((await analytics.breakdown(counted.id, { ...range, by: 'bot' })).rows).toEqual([{ value: expect.stringMatching(/bingbot/i), count: 5 }]);
    const { rows } = await runtime.pool.query('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND is_bot', [counted.id]);
    expect(rows[0].n).toBe(5);
    expect(await rollupDisagreements(runtime.pool, counted.id)).toEqual([]);
  });
});
