import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestTenant, type TestTenant } from '@pulse/backend/test/test-tenant';
import { useDashboard } from './dashboard-harness.ts';
import { rudderStackSnippet } from '../src/lib/tracking-snippets.ts';
import { asPageScript, bundleForBrowser } from './sdk-bundle.ts';
import { storedEvents, VISITOR_USER_AGENT } from './stored-events.ts';
import { failOnExternalRequests, startThirdPartySite, type ThirdPartySite } from './third-party-site.ts';

// RudderStack's browser SDK (@rudderstack/analytics-js from the npm registry, unchanged, its `bundled` build so
// that plugins come with it instead of from RudderStack's CDN) on a customer's page served from another origin,
// set up with the README's snippet, so only through Pulse: the data plane and `configUrl` point at Pulse.
// Session tracking is on, as by default. Any request to another host fails the test.
const dashboard = useDashboard('rudderstack-sdk');
const HTML = 'text/html; charset=utf-8';

/**
 * The page: the README's snippet as written, then an anonymous visitor views a page and a product, signs in
 * (identify), and acts as themselves. `window.done` is set once the calls are made (the SDK sends them itself).
 */
function visitorPage(pulseUrl: string, writeKey: string): string {
  return `<!doctype html>
<html><head><title>Shop</title><script src="/analytics-js.js"></script></head>
<body><script>
  ${asPageScript(rudderStackSnippet({ origin: pulseUrl, key: writeKey }), 'RudderSdk')}
  analytics.ready(() => {
    analytics.page('Shop', 'Home');
    analytics.track('Product Viewed', { sku: 'tee-1', price: 25 });
    analytics.identify('user-42', { email: 'ada@example.com' });
    analytics.track('Order Completed', { total: 25 });
    analytics.page();
    window.done = true;
  });
</script></body></html>`;
}

let site: ThirdPartySite;
let tenant: TestTenant;

beforeAll(async () => {
  const sdk = await bundleForBrowser("export { RudderAnalytics } from '@rudderstack/analytics-js/bundled';", 'RudderSdk');
  tenant = await createTestTenant(dashboard.runtime, 'rudderstack-sdk-visitor');
  site = await startThirdPartySite({
    '/analytics-js.js': { contentType: 'text/javascript', body: sdk },
    '/': { contentType: HTML, body: visitorPage(dashboard.server.url, tenant.keys.ingest) },
  });
});

afterAll(async () => {
  await site?.close();
});

it("stores an anonymous then identified visitor's page, track and identify calls exactly once, in one session", async () => {
  const context = await dashboard.browser.newContext({ userAgent: VISITOR_USER_AGENT });
  const { blocked } = await failOnExternalRequests(context, [site.url, dashboard.server.url]);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(site.url);
  await page.waitForFunction(() => (window as { done?: boolean }).done);

  await expect.poll(async () => (await storedEvents(dashboard.runtime.pool, tenant.id)).length, { timeout: 30_000 }).toBe(6);
  const stored = await storedEvents(dashboard.runtime.pool, tenant.id);
  // Calls made in one turn can share a millisecond and arrive in any order: each is matched by what it was, and
  // who made it (anonymous before identify, user-42 after) says it was stored as made.
  const anonymousId = stored.find((event) => event.name === 'signup')?.anonymous_id;
  expect(anonymousId).toBeTruthy();
  const calls = stored.map(({ type, name, user_id, anonymous_id, properties }) => ({
    call: [type, name, properties.name].filter(Boolean).join(' '),
    user_id,
    anonymous_id,
  }));
  expect(calls).toHaveLength(6);
  expect(calls).toEqual(
    expect.arrayContaining([
      // The snippet's own call, made before the SDK was ready.
      { call: 'track signup', user_id: null, anonymous_id: anonymousId },
      { call: 'page page_view Home', user_id: null, anonymous_id: anonymousId },
      { call: 'track Product Viewed', user_id: null, anonymous_id: anonymousId },
      { call: 'identify identify', user_id: 'user-42', anonymous_id: anonymousId },
      { call: 'track Order Completed', user_id: 'user-42', anonymous_id: anonymousId },
      { call: 'page page_view', user_id: 'user-42', anonymous_id: anonymousId },
    ]),
  );
  expect(stored.find((event) => event.properties.name === 'Home')?.properties).toMatchObject({ category: 'Shop' });
  // Its default session tracking: one numeric session id (the session's start in ms), stored as text.
  expect(new Set(stored.map((event) => event.session_id))).toEqual(new Set([expect.stringMatching(/^\d{13}$/)]));
  expect(new Set(stored.map((event) => event.message_id)).size).toBe(6);
  // Described from the SDK's context.userAgent.
  expect(new Set(stored.map(({ browser, os, is_bot }) => JSON.stringify({ browser, os, is_bot })))).toEqual(
    new Set([JSON.stringify({ browser: 'Chrome', os: 'Linux', is_bot: false })]),
  );
  expect(blocked).toEqual([]);
  await context.close();
});
