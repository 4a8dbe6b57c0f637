import type { EventRow } from '../repositories/event-repository.ts';

/** Event names with their share of traffic, roughly what a SaaS product site sees. */
const EVENT_MIX: ReadonlyArray<[name: string, weight: number]> = [
  ['page_view', 50],
  ['button_click', 18],
  ['session_start', 10],
  ['add_to_cart', 7],
  ['search', 6],
  ['signup', 4],
  ['purchase', 3],
  ['error', 2],
];
const PAGES = ['/', '/pricing', '/docs', '/docs/getting-started', '/blog/launch', '/signup', '/checkout', '/account'];
/** Where sessions come from: the referring URL, its site as enrichment names it, and a campaign for some. */
const ARRIVALS: ReadonlyArray<{ referrer: string | null; source: string | null; utm?: [source: string, medium: string, campaign: string] }> = [
  { referrer: null, source: null },
  { referrer: null, source: null, utm: ['newsletter', 'email', 'october_launch'] },
  { referrer: 'https://www.google.com/', source: 'Google' },
  { referrer: 'https://news.ycombinator.com/', source: 'Hacker News' },
  { referrer: 'https://t.co/', source: 'Twitter', utm: ['twitter', 'social', 'october_launch'] },
];
/** Operating systems per device class. */
const SYSTEMS: Record<string, readonly string[]> = { desktop: ['Windows', 'macOS', 'Linux'], mobile: ['iOS', 'Android'], tablet: ['iOS', 'Android'] };
const DEVICES: ReadonlyArray<[device: string, weight: number]> = [
  ['desktop', 60],
  ['mobile', 34],
  ['tablet', 6],
];
const BROWSERS: ReadonlyArray<[browser: string, weight: number]> = [
  ['Chrome', 62],
  ['Safari', 22],
  ['Firefox', 9],
  ['Edge', 7],
];
const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'JP', 'CA'];

export interface DemoEventOptions {
  tenantId: number;
  tenantSlug: string;
  users: number;
  events: number;
  days: number;
  now: Date;
  /** Same seed, same events: re-running the seed inserts nothing new (message ids repeat). */
  seed: number;
}

/** Realistic, reproducible demo events spread over the last `days` days, grouped in user sessions. */
export function generateDemoEvents(options: DemoEventOptions): EventRow[] {
  const random = mulberry32(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const pickWeighted = <T>(items: ReadonlyArray<[T, number]>): T => {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = random() * total;
    for (const [item, weight] of items) if ((roll -= weight) < 0) return item;
    return items[0]![0];
  };
  const users = Array.from({ length: options.users }, (_, i) => {
    const device = pickWeighted(DEVICES);
    return { userId: `user_${String(i + 1).padStart(2, '0')}`, device, os: pick(SYSTEMS[device]!), browser: pickWeighted(BROWSERS), country: pick(COUNTRIES) };
  });

  const spanMs = options.days * 86_400_000;
  const rows: EventRow[] = [];
  let sessionNumber = 0;
  while (rows.length < options.events) {
    const user = pick(users);
    sessionNumber += 1;
    const sessionId = `${options.tenantSlug}-s${sessionNumber}`;
    let ts = options.now.getTime() - 60_000 - Math.floor(random() * spanMs);
    const sessionLength = 3 + Math.floor(random() * 12);
    const arrival = pick(ARRIVALS);
    for (let step = 0; step < sessionLength && rows.length < options.events; step += 1) {
      const name = step === 0 ? 'session_start' : pickWeighted(EVENT_MIX);
      const path = pick(PAGES);
      rows.push({
        tenantId: options.tenantId,
        messageId: `seed-${options.tenantSlug}-${rows.length + 1}`,
        type: name === 'page_view' ? 'page' : 'track',
        name,
        userId: user.userId,
        anonymousId: null,
        sessionId,
        path,
        referrer: step === 0 ? arrival.referrer : null,
        referrerSource: step === 0 ? arrival.source : null,
        utmSource: arrival.utm?.[0] ?? null,
        utmMedium: arrival.utm?.[1] ?? null,
        utmCampaign: arrival.utm?.[2] ?? null,
        device: user.device,
        browser: user.browser,
        os: user.os,
        isBot: false,
        country: user.country,
        properties: name === 'purchase' ? { amount: 10 + Math.floor(random() * 190), currency: 'USD' } : { path },
        ts: new Date(Math.min(ts, options.now.getTime() - 1_000)),
      });
      ts += 5_000 + Math.floor(random() * 90_000);
    }
  }
  return rows;
}

/** A small, fast, seedable PRNG (public domain); Math.random cannot be seeded. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
