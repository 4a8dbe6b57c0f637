// The ingestion workload shared by the benchmarks: realistic batches for HTTP, and the same rows inserted
// straight into PostgreSQL for the raw ceiling.
import { randomBytes } from 'node:crypto';
import type { EventRepository, EventRow } from '@pulse/backend/repositories/event-repository';

export const RAW_ROWS_PER_STATEMENT = 2_000;
export const RAW_WRITER_COUNTS = [1, 2, 4];
const NAMES = ['page_view', 'button_click', 'session_start', 'add_to_cart', 'purchase'];
const PATHS = ['/', '/pricing', '/docs', '/blog/launch', '/signup'];

/** Realistic events; no messageId, so the server assigns fresh ids and every request stores new rows. */
export function eventsBody(count: number): string {
  const batch = Array.from({ length: count }, (_, i) => ({
    type: i % 2 === 0 ? 'page' : 'track',
    event: NAMES[i % NAMES.length],
    userId: `user-${i % 97}`,
    context: {
      page: { path: PATHS[i % PATHS.length], referrer: 'https://www.google.com/' },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
      sessionId: `s-${i % 31}`,
    },
    properties: { plan: 'pro', amount: i % 50 },
  }));
  return JSON.stringify({ batch });
}

export function rawRow(tenantId: number, i: number): EventRow {
  return {
    tenantId,
    messageId: `${randomBytes(8).toString('hex')}-${i}`,
    type: i % 2 === 0 ? 'page' : 'track',
    name: NAMES[i % NAMES.length]!,
    userId: `user-${i % 97}`,
    anonymousId: null,
    sessionId: `s-${i % 31}`,
    path: PATHS[i % PATHS.length]!,
    referrer: 'https://www.google.com/',
    device: 'desktop',
    browser: 'Chrome',
    country: null,
    os: 'Linux',
    referrerSource: 'Google',
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    isBot: false,
    properties: { plan: 'pro', amount: i % 50 },
    ts: new Date(),
  };
}

/** The same rows through the same statement, no HTTP; the best of a few writer counts. */
export async function rawInsertCeiling(repository: EventRepository, tenantId: number, seconds: number): Promise<{ eventsPerSecond: number; writers: number }> {
  let best = { eventsPerSecond: 0, writers: 0 };
  for (const writers of RAW_WRITER_COUNTS) {
    const eventsPerSecond = await rawInsertRate(
      repository,
      Array.from({ length: writers }, () => tenantId),
      seconds,
    );
    console.log(`raw insert, ${writers} writers: ${Math.round(eventsPerSecond).toLocaleString('en-US')} events/s`);
    if (eventsPerSecond > best.eventsPerSecond) best = { eventsPerSecond, writers };
  }
  return best;
}

/** One writer per tenant id, each inserting 2,000-row statements until the time is up. */
export async function rawInsertRate(repository: EventRepository, writerTenantIds: readonly number[], seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1_000;
  let stored = 0;
  await Promise.all(
    writerTenantIds.map(async (tenantId) => {
      while (Date.now() < deadline) {
        const rows = Array.from({ length: RAW_ROWS_PER_STATEMENT }, (_, i) => rawRow(tenantId, i));
        stored += (await repository.insertMany(rows)).size;
      }
    }),
  );
  return stored / seconds;
}

/** Real browsers' user agents, as a site's visitors bring them (parsed once each, then from the parser's cache). */
const BROWSER_USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
];
const REFERRERS = ['', 'https://www.google.com/', 'https://news.ycombinator.com/', 'https://t.co/abc'];

/**
 * Events as Pulse's tracker sends them: no ids (each gets a cookieless visitor id), the page's full URL (UTM
 * fields to read), referrers to name, and the visitor's user agent to parse. For the enrichment step.
 */
export function browserEventsBody(count: number): string {
  const batch = Array.from({ length: count }, (_, i) => ({
    type: i % 2 === 0 ? 'page' : 'track',
    event: NAMES[i % NAMES.length],
    context: {
      page: {
        path: PATHS[i % PATHS.length],
        url: `https://shop.example${PATHS[i % PATHS.length]}?utm_source=newsletter&utm_medium=email&utm_campaign=c${i % 7}`,
        referrer: REFERRERS[i % REFERRERS.length],
      },
      userAgent: BROWSER_USER_AGENTS[i % BROWSER_USER_AGENTS.length],
    },
    properties: { plan: 'pro', amount: i % 50 },
  }));
  return JSON.stringify({ batch });
}
