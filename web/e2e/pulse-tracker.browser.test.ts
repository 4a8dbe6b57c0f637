import { gzipSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestTenant, type TestTenant } from '@pulse/backend/test/test-tenant';
import { pulseScriptTag } from '../src/lib/tracking-snippets.ts';
import { useDashboard } from './dashboard-harness.ts';
import { failOnExternalRequests, startThirdPartySite, type ThirdPartySite } from './third-party-site.ts';

// A customer's single-page shop, on another origin, with Pulse's tracker in its <head> (the README's tag, with
// the two opt-in attributes): what the browser sends, what Pulse stores, and that nothing else leaves the page.
const dashboard = useDashboard('pulse-tracker');
const OUTBOUND_URL = 'https://partner.example/pricing?ref=shop';
const HTML = 'text/html; charset=utf-8';
const VISITOR_USER_AGENT = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function shopPage(pulseUrl: string, ingestKey: string): string {
  return `<!doctype html>
<html>
  <head>
    <title>Shop</title>
    <script>window.pulse = window.pulse || { q: [], track: function () { this.q.push(arguments); } };</script>
    ${pulseScriptTag({ origin: pulseUrl, key: ingestKey }).replace('></script>', ' data-outbound data-downloads></script>')}
    <script>pulse.track('app_opened', { build: 42 });</script>
  </head>
  <body>
    <button id="pricing">Pricing</button>
    <a href="#faq">FAQ</a>
    <button id="signup">Sign up</button>
    <a href="/files/catalogue.zip">Catalogue</a>
    <a href="${OUTBOUND_URL}">Our partner</a>
    <script>
      document.getElementById('pricing').onclick = () => {
        history.pushState({}, '', '/pricing');
        // As routers do: the same page, with its state in the URL.
        history.replaceState({}, '', '/pricing?billing=annual');
      };
      document.getElementById('signup').onclick = () => pulse.track('signup', { plan: 'pro' });
    </script>
  </body>
</html>`;
}

let site: ThirdPartySite;
let optedOutTenant: TestTenant;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  optedOutTenant = await createTestTenant(dashboard.runtime, 'pulse-opted-out');
  site = await startThirdPartySite({
    '/': { contentType: HTML, body: shopPage(dashboard.server.url, dashboard.tenant.keys.ingest) },
    '/opted-out': { contentType: HTML, body: shopPage(dashboard.server.url, optedOutTenant.keys.ingest) },
    '/files/catalogue.zip': { contentType: 'application/zip', body: Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'binary') },
  });
});

afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await site?.close();
});

/** `window` of the shop's page, where the stub or the tracker is `pulse`. */
type ShopWindow = { pulse: { track(name: string, properties?: Record<string, unknown>): void; q?: unknown[] } };

interface SentEvent {
  /** "ping" for navigator.sendBeacon, "fetch" for its fallback. */
  resourceType: string;
  writeKey: string | null;
  contentType: string | undefined;
  body: any;
}

/** A visitor's fresh browser on the shop at `path`, every request outside the shop and Pulse refused. */
async function visit(path: string, options: { optedOut?: boolean } = {}) {
  // A visitor's Chrome: headless Chromium says "HeadlessChrome", which Pulse rightly counts as a bot.
  const context = await dashboard.browser.newContext({ userAgent: VISITOR_USER_AGENT });
  contexts.push(context);
  const guard = await failOnExternalRequests(context, [site.url, dashboard.server.url]);
  if (options.optedOut) await context.addInitScript(() => localStorage.setItem('pulse_ignore', 'true'));
  const pulseRequests: string[] = [];
  const sent: SentEvent[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== dashboard.server.url) return;
    pulseRequests.push(`${request.method()} ${url.pathname}`);
    if (url.pathname === '/v1/batch') {
      sent.push({
        resourceType: request.resourceType(),
        writeKey: url.searchParams.get('writeKey'),
        contentType: request.headers()['content-type'],
        body: JSON.parse(request.postData()!),
      });
    }
  });
  const page = await context.newPage();
  await page.goto(`${site.url}${path}`);
  return { context, page, guard, pulseRequests, sent };
}

/** What one beacon said, in short: its type, its name (track events) and the page's path. */
const summary = ({ body }: SentEvent) => ({ type: body.batch[0].type, event: body.batch[0].event, path: body.batch[0].context.page.path });

async function storedEvents(tenantId: number) {
  const { rows } = await dashboard.runtime.pool.query<{ type: string; name: string; path: string; properties: unknown }>(
    'SELECT type, name, path, properties FROM events WHERE tenant_id = $1 ORDER BY name, path',
    [tenantId],
  );
  return rows;
}

/** Does `step` and waits until the page has sent `count` events in all. */
async function expectSentAfter(sent: SentEvent[], count: number, step: () => Promise<unknown>) {
  await step();
  await expect.poll(() => sent.length, { timeout: 10_000 }).toBe(count);
}

it('serves /pulse.js to other sites, at most 2 KB gzipped', async () => {
  const response = await fetch(`${dashboard.server.url}/pulse.js`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  const gzippedBytes = gzipSync(Buffer.from(await response.arrayBuffer()), { level: 9 }).length;
  expect(gzippedBytes).toBeLessThanOrEqual(2048);
});

it("records a single-page app's page views, custom events and link clicks once each, with no cookie, storage or other request", async () => {
  const { context, page, guard, pulseRequests, sent } = await visit('/');
  const tenant = dashboard.tenant;

  // The first page view, then the call the page queued before the script loaded.
  await expect.poll(() => sent.length, { timeout: 10_000 }).toBe(2);
  await expectSentAfter(sent, 3, () => page.getByText('Pricing').click());
  await expectSentAfter(sent, 4, () => page.goBack());
  await expectSentAfter(sent, 5, () => page.getByText('FAQ').click());
  await expectSentAfter(sent, 6, () => page.getByText('Sign up').click());
  await expectSentAfter(sent, 7, () => page.getByText('Catalogue').click());
  expect(
    await page.evaluate(async () => ({
      cookie: document.cookie,
      localStorage: localStorage.length,
      sessionStorage: sessionStorage.length,
      indexedDB: await indexedDB.databases(),
    })),
  ).toEqual({ cookie: '', localStorage: 0, sessionStorage: 0, indexedDB: [] });

  // Leaving the page: the beacon goes before the navigation, which the guard stops at the other site.
  await expectSentAfter(sent, 8, () => page.getByText('Our partner').click());
  await expect.poll(() => guard.blocked, { timeout: 10_000 }).toEqual([OUTBOUND_URL]);

  expect(sent.map(summary)).toEqual([
    { type: 'page', event: undefined, path: '/' },
    { type: 'track', event: 'app_opened', path: '/' },
    { type: 'page', event: undefined, path: '/pricing' },
    { type: 'page', event: undefined, path: '/' },
    { type: 'page', event: undefined, path: '/#faq' },
    { type: 'track', event: 'signup', path: '/#faq' },
    { type: 'track', event: 'file_download', path: '/#faq' },
    { type: 'track', event: 'outbound_click', path: '/#faq' },
  ]);
  for (const { resourceType, writeKey, contentType, body } of sent) {
    expect(resourceType).toBe('ping');
    expect(writeKey).toBe(tenant.keys.ingest);
    // A simple request: no CORS preflight, so a beacon can carry it.
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toEqual({ batch: [expect.any(Object)], sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    const [event] = body.batch;
    expect(Object.keys(event).sort()).toEqual(['context', 'messageId', 'properties', 'timestamp', 'type', ...(event.type === 'track' ? ['event'] : [])].sort());
    expect(event.messageId).toMatch(/^[0-9a-f]{32}$/);
    expect(event.context).toEqual({
      page: { url: `${site.url}${event.context.page.path}`, path: event.context.page.path, referrer: '', title: 'Shop' },
      library: { name: 'pulse.js', version: '1' },
    });
  }
  expect(new Set(sent.map(({ body }) => body.batch[0].messageId)).size).toBe(sent.length);
  expect(new Set(pulseRequests)).toEqual(new Set(['GET /pulse.js', 'POST /v1/batch']));

  const views = { type: 'page', name: 'page_view', properties: {} };
  await expect
    .poll(() => storedEvents(tenant.id), { timeout: 15_000 })
    .toEqual([
      { type: 'track', name: 'app_opened', path: '/', properties: { build: 42 } },
      { type: 'track', name: 'file_download', path: '/#faq', properties: { url: `${site.url}/files/catalogue.zip` } },
      { type: 'track', name: 'outbound_click', path: '/#faq', properties: { url: OUTBOUND_URL } },
      { ...views, path: '/' },
      { ...views, path: '/' },
      { ...views, path: '/#faq' },
      { ...views, path: '/pricing' },
      { type: 'track', name: 'signup', path: '/#faq', properties: { plan: 'pro' } },
    ]);
  expect(await context.cookies()).toEqual([]);
  expect(guard.blocked).toEqual([OUTBOUND_URL]);
  // No id was sent: the server gave the visitor one cookieless id, and described their browser from its headers.
  const { rows: visitors } = await dashboard.runtime.pool.query('SELECT DISTINCT anonymous_id, browser, os, is_bot FROM events WHERE tenant_id = $1', [
    tenant.id,
  ]);
  expect(visitors).toEqual([{ anonymous_id: expect.stringMatching(/^cl_/), browser: 'Chrome', os: 'macOS', is_bot: false }]);
});

it('sends nothing while the visitor has opted out with localStorage.pulse_ignore', async () => {
  const { page, guard, sent } = await visit('/opted-out', { optedOut: true });
  // The tracker replaced the stub.
  await page.waitForFunction(() => !('q' in (window as unknown as ShopWindow).pulse));
  await page.getByText('Pricing').click();
  await page.getByText('Sign up').click();
  // The marker: once the visitor opts back in, the next call is sent; nothing before it was.
  await expectSentAfter(sent, 1, () =>
    page.evaluate(() => {
      localStorage.removeItem('pulse_ignore');
      (window as unknown as ShopWindow).pulse.track('opted_in');
    }),
  );
  expect(sent.map(summary)).toEqual([{ type: 'track', event: 'opted_in', path: '/pricing' }]);
  await expect
    .poll(() => storedEvents(optedOutTenant.id), { timeout: 15_000 })
    .toEqual([{ type: 'track', name: 'opted_in', path: '/pricing', properties: {} }]);
  expect(guard.blocked).toEqual([]);
});
