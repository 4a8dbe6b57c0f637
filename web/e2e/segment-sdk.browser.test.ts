import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, type TestTenant } from '@pulse/backend/test/test-tenant';
import { useDashboard } from './dashboard-harness.ts';
import { SEGMENT_BATCHING, segmentSnippet } from '../src/lib/tracking-snippets.ts';
import { asPageScript, bundleForBrowser } from './sdk-bundle.ts';
import { storedEvents, VISITOR_USER_AGENT } from './stored-events.ts';
import { failOnExternalRequests, startThirdPartySite, type ThirdPartySite } from './third-party-site.ts';

// Segment's browser SDK (@segment/analytics-next from the npm registry, unchanged) on a customer's page served
// from another origin, set up with the README's snippet, so only through Pulse: `cdnURL` points at Pulse, whose
// settings tell the SDK where to send. Any request to another host fails the test.
const dashboard = useDashboard('segment-sdk');
const HTML = 'text/html; charset=utf-8';

/**
 * The page: the README's snippet as written (in batching mode with the options it names), then an anonymous
 * visitor views a page and a product, signs in (identify), and acts as themselves. `window.done` is set once
 * every call resolved (the SDK resolves a call once it is delivered or queued for its batch).
 */
function visitorPage(pulseUrl: string, writeKey: string, mode: 'standard' | 'batching'): string {
  let snippet = asPageScript(segmentSnippet({ origin: pulseUrl, key: writeKey }), 'SegmentSdk');
  if (mode === 'batching') snippet = snippet.replace(`cdnURL: '${pulseUrl}' })`, `cdnURL: '${pulseUrl}' }, ${JSON.stringify(SEGMENT_BATCHING)})`);
  return `<!doctype html>
<html><head><title>Shop</title><script src="/analytics-next.js"></script></head>
<body><script>
  ${snippet}
  (async () => {
    await analytics.page('Shop', 'Home');
    await analytics.track('Product Viewed', { sku: 'tee-1', price: 25 });
    await analytics.identify('user-42', { email: 'ada@example.com' });
    await analytics.track('Order Completed', { total: 25 });
    await analytics.page();
    window.done = true;
  })().catch((error) => { window.failed = String(error); });
</script></body></html>`;
}

let site: ThirdPartySite;
const tenants: Record<string, TestTenant> = {};

beforeAll(async () => {
  const sdk = await bundleForBrowser("export { AnalyticsBrowser } from '@segment/analytics-next';", 'SegmentSdk');
  for (const mode of ['standard', 'batching']) tenants[mode] = await createTestTenant(dashboard.runtime, `segment-sdk-${mode}`);
  site = await startThirdPartySite({
    '/analytics-next.js': { contentType: 'text/javascript', body: sdk },
    '/standard': { contentType: HTML, body: visitorPage(dashboard.server.url, tenants.standard!.keys.ingest, 'standard') },
    '/batching': { contentType: HTML, body: visitorPage(dashboard.server.url, tenants.batching!.keys.ingest, 'batching') },
  });
});

afterAll(async () => {
  await site?.close();
});

describe.each(['standard', 'batching'])('%s delivery', (mode) => {
  it("stores an anonymous then identified visitor's page, track and identify calls exactly once", async () => {
    const tenant = tenants[mode]!;
    const context = await dashboard.browser.newContext({ userAgent: VISITOR_USER_AGENT });
    const { blocked } = await failOnExternalRequests(context, [site.url, dashboard.server.url]);
    const page = await context.newPage();
    const eventPosts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().startsWith(`${dashboard.server.url}/v1/`)) eventPosts.push(new URL(request.url()).pathname);
    });
    await page.goto(`${site.url}/${mode}`);
    await page.waitForFunction(() => (window as { done?: boolean; failed?: string }).done || (window as { failed?: string }).failed);
    expect(await page.evaluate(() => (window as { failed?: string }).failed)).toBeUndefined();

    await expect.poll(async () => (await storedEvents(dashboard.runtime.pool, tenant.id)).length, { timeout: 30_000 }).toBe(6);
    const stored = await storedEvents(dashboard.runtime.pool, tenant.id);
    // The snippet's own call, sent while the page's first calls are (so in no set order with them).
    const snippetCall = stored.filter((event) => event.name === 'signup');
    const events = stored.filter((event) => event.name !== 'signup');
    const anonymousId = await page.evaluate(() => JSON.parse(localStorage.getItem('ajs_anonymous_id') ?? 'null') as string);
    expect(anonymousId).toBeTruthy();
    expect(events.map(({ type, name, user_id, anonymous_id }) => ({ type, name, user_id, anonymous_id }))).toEqual([
      { type: 'page', name: 'page_view', user_id: null, anonymous_id: anonymousId },
      { type: 'track', name: 'Product Viewed', user_id: null, anonymous_id: anonymousId },
      { type: 'identify', name: 'identify', user_id: 'user-42', anonymous_id: anonymousId },
      { type: 'track', name: 'Order Completed', user_id: 'user-42', anonymous_id: anonymousId },
      { type: 'page', name: 'page_view', user_id: 'user-42', anonymous_id: anonymousId },
    ]);
    expect(snippetCall).toMatchObject([{ type: 'track', user_id: null, anonymous_id: anonymousId, properties: { plan: 'pro' } }]);
    expect(events[0]!.properties).toMatchObject({ name: 'Home', category: 'Shop' });
    expect(events[1]!.properties).toMatchObject({ sku: 'tee-1', price: 25 });
    expect(new Set(stored.map((event) => event.message_id)).size).toBe(6);
    // Described from the SDK's context.userAgent.
    expect(new Set(stored.map(({ browser, os, is_bot }) => JSON.stringify({ browser, os, is_bot })))).toEqual(
      new Set([JSON.stringify({ browser: 'Chrome', os: 'Linux', is_bot: false })]),
    );
    // Described from the SDK's context.userAgent.
    expect(new Set(stored.map(({ browser, os, is_bot }) => JSON.stringify({ browser, os, is_bot })))).toEqual(
      new Set([JSON.stringify({ browser: 'Chrome', os: 'Linux', is_bot: false })]),
    );
    // Sent as the SDK's delivery mode says: one request per call to its short paths, or batches to /v1/b.
    if (mode === 'standard') expect([...new Set(eventPosts)].sort()).toEqual(['/v1/i', '/v1/p', '/v1/t']);
    else expect(new Set(eventPosts)).toEqual(new Set(['/v1/b']));
    expect(blocked).toEqual([]);
    await context.close();
  });
});
