import { createTRPCClient, httpLink } from '@trpc/client';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it, vi } from 'vitest';
import type { AppRouter } from '@pulse/backend/trpc/app-router';
import type { TFilters } from '@pulse/shared/filters';
import { useDashboard } from './dashboard-harness.ts';
import { downloadedRows } from './csv-download.ts';

const dashboard = useDashboard('overview-filters');

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
];
const GOOGLEBOT =
  'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/124.0.6367.201 Safari/537.36';
const COUNTRIES = ['DE', 'FR', 'US'];
const PATHS = ['/', '/pricing', '/docs', '/blog'];
const REFERRERS = ['https://www.google.com/search?q=pulse', 'https://news.ycombinator.com/item?id=1', undefined];
const CAMPAIGNS = ['newsletter', 'ads'];
const VISITORS = 24;
const HOUR_MS = 3_600_000;
const GERMANY: TFilters = [{ field: 'country', operator: 'is', value: 'DE' }];

/** Each visitor a page view (two for some), half of them a signup with properties; spread over the last hours. */
function visits(): unknown[] {
  const now = Date.now();
  const events: unknown[] = [];
  for (let visitor = 0; visitor < VISITORS; visitor += 1) {
    const campaign = CAMPAIGNS[visitor % 2]!;
    const context = (path: string) => ({
      // Unlike the country's, so that a country holds several browsers and sources.
      userAgent: USER_AGENTS[Math.floor(visitor / 3) % USER_AGENTS.length],
      location: { country: COUNTRIES[visitor % COUNTRIES.length] },
      sessionId: `session-${visitor % 10}`,
      page: {
        path,
        url: `https://shop.example${path}?utm_source=${campaign}&utm_medium=email&utm_campaign=spring`,
        referrer: REFERRERS[Math.floor(visitor / 2) % REFERRERS.length],
      },
    });
    const timestamp = (offsetMinutes: number) => new Date(now - (visitor % 5) * HOUR_MS - offsetMinutes * 60_000).toISOString();
    const base = { anonymousId: `visitor-${visitor}` };
    events.push({ ...base, type: 'page', messageId: `page-${visitor}`, timestamp: timestamp(10), context: context(PATHS[visitor % PATHS.length]!) });
    if (visitor % 3 === 0) events.push({ ...base, type: 'page', messageId: `again-${visitor}`, timestamp: timestamp(8), context: context('/pricing') });
    if (visitor % 2 === 0) {
      const properties = { plan: visitor % 4 === 0 ? 'pro' : 'free', amount: visitor };
      events.push({
        ...base,
        type: 'track',
        event: 'signup',
        messageId: `signup-${visitor}`,
        timestamp: timestamp(5),
        properties,
        context: context('/signup'),
      });
    }
  }
  events.push({
    type: 'page',
    messageId: 'crawler',
    anonymousId: 'crawler',
    context: { userAgent: GOOGLEBOT, location: { country: 'DE' }, page: { path: '/' } },
  });
  return events;
}

const api = () =>
  createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${dashboard.server.url}/trpc`, headers: { authorization: `Bearer ${dashboard.tenant.keys.read}` } })],
  });

beforeAll(async () => {
  const events = visits();
  const response = await fetch(`${dashboard.server.url}/v1/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${dashboard.tenant.keys.ingest}`, 'content-type': 'application/json' },
    body: JSON.stringify({ batch: events }),
  });
  expect(response.status, await response.text()).toBeLessThan(300);
  // Ingestion commits in the background: wait until every human event counts.
  const week = { from: new Date(Date.now() - 7 * 86_400_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
  await vi.waitFor(async () => expect((await api().analytics.summary.query(week)).totalEvents).toBe(events.length - 1), { timeout: 15_000, interval: 200 });
});

/** The breakdowns the Overview shows, by the test id of their card. */
const BREAKDOWN_CARDS = {
  country: 'breakdown-country',
  browser: 'breakdown-browser',
  os: 'breakdown-os',
  device: 'breakdown-device',
  referrerSource: 'breakdown-source',
  utmSource: 'breakdown-utm',
} as const;
type TCardDimension = keyof typeof BREAKDOWN_CARDS;

/** Everything the Overview's tiles show, as text, to compare with what the API answers. */
async function shownTiles(page: Page) {
  const text = async (testId: string) => ((await page.getByTestId(testId).count()) > 0 ? (await page.getByTestId(testId).first().innerText()).trim() : null);
  const rows = (selector: string) =>
    page
      .locator(selector)
      .evaluateAll((elements) => elements.map((row) => [row.getAttribute('data-value'), (row as HTMLTableRowElement).cells[1]!.innerText.trim()]));
  const breakdowns: Record<string, unknown> = {};
  for (const [by, testId] of Object.entries(BREAKDOWN_CARDS)) breakdowns[by] = await rows(`[data-testid="${testId}"] [data-testid="breakdown-row"]`);
  const bots = await text('bots-excluded');
  return {
    totalEvents: await text('kpi-total-events'),
    uniqueUsers: await text('kpi-unique-users'),
    sessions: await text('kpi-sessions'),
    topEvent: await text('kpi-top-event'),
    eventTypes: await page
      .locator('[data-testid^="type-count-"]')
      .evaluateAll((cells) => cells.map((cell) => [cell.getAttribute('data-testid')!.slice('type-count-'.length), (cell as HTMLElement).innerText.trim()])),
    seriesTotal: await text('timeseries-total'),
    topPages: await rows('[data-testid="top-page-row"]'),
    breakdowns,
    bots: bots && (/^([\d,]+) bot/.exec(bots)?.[1] ?? '0'),
  };
}

/**
 * The inputs of the analytics questions the page asked, by procedure (and dimension): the latest with exactly
 * `filters`. The test asks the API the same questions with the same key.
 */
function recordQuestions(page: Page) {
  const asked = new Map<string, Array<Record<string, unknown>>>();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.includes('analytics.')) return;
    // Not trpcInputsOf: a batch asks analytics.breakdown several times, once per dimension.
    const procedures = url.pathname.replace(/^\/trpc\//, '').split(',');
    const inputs = JSON.parse(url.searchParams.get('input') ?? '{}') as Record<string, Record<string, unknown>>;
    procedures.forEach((procedure, index) => {
      const input = url.searchParams.get('batch') === '1' ? inputs[String(index)] : inputs;
      if (!input) return;
      const name = procedure === 'analytics.breakdown' ? `${procedure}:${String(input.by)}` : procedure;
      asked.set(name, [...(asked.get(name) ?? []), input]);
    });
  });
  return (name: string, filters: TFilters | undefined) => asked.get(name)?.findLast((input) => JSON.stringify(input.filters) === JSON.stringify(filters));
}
type TQuestions = ReturnType<typeof recordQuestions>;

/** A signed-in page on the Overview, its questions recorded from the first. */
async function openOverview() {
  const page = await dashboard.browser.newPage({ viewport: { width: 1440, height: 1200 } });
  const question = recordQuestions(page);
  await page.goto(`${dashboard.server.url}/?key=${dashboard.tenant.keys.read}#/overview`);
  return { page, question };
}

/** The API's answer to each question asked, kept: the seeded events do not change, and polls must not spend the key's reads. */
const answers = new Map<string, Promise<unknown>>();
function answerOf<TAnswer>(question: unknown, ask: () => Promise<TAnswer>): Promise<TAnswer> {
  const key = JSON.stringify(question);
  let answer = answers.get(key) as Promise<TAnswer> | undefined;
  if (!answer) {
    answer = ask();
    answers.set(key, answer);
    // A failed ask is asked again on the next poll.
    answer.catch(() => answers.delete(key));
  }
  return answer;
}

/** What the tiles must show: the API's answers to the page's own questions, formatted as the page formats counts. */
async function answeredTiles(question: TQuestions, filters: TFilters | undefined) {
  const count = (value: number) => value.toLocaleString('en-US');
  const input = <TInput>(name: string) => {
    const found = question(name, filters);
    if (!found) throw new Error(`the page has not asked ${name} with filters ${JSON.stringify(filters)}`);
    return found as TInput;
  };
  const client = api();
  const summaryInput = input<Parameters<typeof client.analytics.summary.query>[0]>('analytics.summary');
  const summary = await answerOf(summaryInput, () => client.analytics.summary.query(summaryInput));
  const seriesInput = input<Parameters<typeof client.analytics.timeseries.query>[0]>('analytics.timeseries');
  const series = await answerOf(seriesInput, () => client.analytics.timeseries.query(seriesInput));
  const pagesInput = input<Parameters<typeof client.analytics.topPages.query>[0]>('analytics.topPages');
  const topPages = await answerOf(pagesInput, () => client.analytics.topPages.query(pagesInput));
  const breakdownOf = (by: TCardDimension | 'bot') => {
    const breakdownInput = input<Parameters<typeof client.analytics.breakdown.query>[0]>(`analytics.breakdown:${by}`);
    return answerOf(breakdownInput, () => client.analytics.breakdown.query(breakdownInput));
  };
  const breakdowns: Record<string, unknown> = {};
  for (const by of Object.keys(BREAKDOWN_CARDS) as TCardDimension[]) {
    breakdowns[by] = (await breakdownOf(by)).rows.map((row) => [row.value, count(row.count)]);
  }
  const bots = await breakdownOf('bot');
  return {
    totalEvents: count(summary.totalEvents),
    uniqueUsers: count(summary.uniqueUsers),
    sessions: count(summary.sessions),
    topEvent: summary.byType[0]?.name ?? '—',
    eventTypes: summary.byType.map((type) => [type.name, count(type.count)]),
    seriesTotal: count(series.points.reduce((sum, point) => sum + point.count, 0)),
    topPages: topPages.pages.map((page) => [page.path, count(page.views)]),
    breakdowns,
    bots: count(bots.rows.reduce((sum, row) => sum + row.count, 0)),
  };
}

/** Waits until every tile shows the API's answer to the page's question with `filters`; returns that answer. */
async function tilesMatchApi(page: Page, question: TQuestions, filters: TFilters | undefined) {
  return vi.waitFor(
    async () => {
      const expected = await answeredTiles(question, filters);
      expect(await shownTiles(page)).toEqual(expected);
      return expected;
    },
    { timeout: 30_000, interval: 500 },
  );
}

it('a breakdown row filters every tile to the API’s filtered answer, and removing its chip brings the whole back', async () => {
  const { page, question } = await openOverview();
  const whole = await tilesMatchApi(page, question, undefined);
  expect(whole.breakdowns.country).toHaveLength(COUNTRIES.length);

  await page.getByTestId('breakdown-country').getByRole('button', { name: 'Filter by Country DE' }).click();
  const chip = page.getByTestId('filter-chip');
  await chip.filter({ hasText: 'Country is Germany' }).waitFor();
  const germany = await tilesMatchApi(page, question, GERMANY);
  // Narrowed, not the whole again: only Germany's events, and the crawler the note counts was German.
  expect(germany.breakdowns.country).toEqual([['DE', germany.totalEvents]]);
  expect(Number(germany.totalEvents)).toBeLessThan(Number(whole.totalEvents));
  expect(germany.bots).toBe('1');
  // The filtered view has its own address: a reload (or a shared link) shows the same.
  expect(page.url()).toContain('#/overview?filter=country%3Ais%3ADE');
  await page.reload();
  await chip.filter({ hasText: 'Country is Germany' }).waitFor();
  await tilesMatchApi(page, question, GERMANY);
  await dashboard.screenshot(page, 'overview-filtered');

  await page.getByRole('button', { name: 'Remove filter Country is Germany' }).click();
  await expect.poll(() => chip.count()).toBe(0);
  expect(await tilesMatchApi(page, question, undefined)).toEqual(whole);
});

it('rows of the other cards filter too, from the keyboard as well, and the filters add up', async () => {
  const { page, question } = await openOverview();
  const chip = (label: string) => page.getByTestId('filter-chip').filter({ hasText: label });
  await page.getByRole('button', { name: 'Filter by Page /pricing' }).click();
  await chip('Page is /pricing').waitFor();
  const firefox = page.getByRole('button', { name: 'Filter by Browser Firefox' });
  await firefox.focus();
  await page.keyboard.press('Enter');
  await chip('Browser is Firefox').waitFor();
  const eventType = page.getByRole('button', { name: /^Filter by Event / }).first();
  const name = (await eventType.getAttribute('aria-label'))!.slice('Filter by Event '.length);
  await eventType.click();
  await chip(`Event is ${name}`).waitFor();
  const all: TFilters = [
    { field: 'path', operator: 'is', value: '/pricing' },
    { field: 'browser', operator: 'is', value: 'Firefox' },
    { field: 'name', operator: 'is', value: name },
  ];
  const shown = await tilesMatchApi(page, question, all);
  expect(shown.topPages).toEqual([['/pricing', shown.totalEvents]]);
  expect(shown.breakdowns.browser).toEqual([['Firefox', shown.totalEvents]]);
  expect(shown.eventTypes).toEqual([[name, shown.totalEvents]]);

  await page.getByTestId('filter-clear').click();
  await expect.poll(() => page.getByTestId('filter-chip').count()).toBe(0);
  await tilesMatchApi(page, question, undefined);
});

it('each table downloads as CSV with the rows it shows, filtered as it is', async () => {
  const { page, question } = await openOverview();
  await page.getByTestId('breakdown-country').getByRole('button', { name: 'Filter by Country DE' }).click();
  const shown = await tilesMatchApi(page, question, GERMANY);
  const asCsv = (rows: unknown) => (rows as string[][]).map(([value, count]) => [value, count!.replace(/,/g, '')]);
  expect(await downloadedRows(page, 'top-pages-csv')).toEqual([['path', 'views'], ...asCsv(shown.topPages)]);
  expect(await downloadedRows(page, 'event-types-csv')).toEqual([['name', 'count'], ...asCsv(shown.eventTypes)]);
  for (const [by, testId] of Object.entries(BREAKDOWN_CARDS)) {
    expect(await downloadedRows(page, `${testId}-csv`), by).toEqual([['value', 'count'], ...asCsv(shown.breakdowns[by])]);
  }
});

it('the Add filter form offers the operators a field takes, filters by a property, and shows the API’s refusal in place', async () => {
  const { page, question } = await openOverview();
  await page.getByTestId('kpi-total-events').waitFor();
  const form = page.getByTestId('add-filter-form');
  const choose = async (testId: string, option: string) => {
    await form.getByTestId(testId).click();
    await form.getByRole('option', { name: option, exact: true }).click();
  };

  await page.getByTestId('add-filter').click();
  await choose('filter-field', 'Country');
  await form.getByTestId('filter-operator').click();
  expect(await form.getByRole('option').allInnerTexts()).toEqual(['is', 'is not']);
  await form.getByRole('option', { name: 'is', exact: true }).click();
  // Longer than any stored country could be: the API refuses it, and says why where it was typed.
  await form.getByTestId('filter-value').fill('X'.repeat(1_025));
  await form.getByTestId('filter-apply').click();
  await expect.poll(() => form.getByTestId('add-filter-error').innerText()).toMatch(/1024/);
  expect(await page.getByTestId('filter-chip').count()).toBe(0);
  expect(await page.getByTestId('kpi-total-events').count()).toBe(1);

  await choose('filter-field', 'Property…');
  await form.getByTestId('filter-key').fill('plan');
  await form.getByTestId('filter-value').fill('pro');
  await form.getByTestId('filter-apply').click();
  await page.getByTestId('filter-chip').filter({ hasText: 'Property plan is pro' }).waitFor();
  const pro = await tilesMatchApi(page, question, [{ field: 'property', key: 'plan', operator: 'is', value: 'pro' }]);
  expect(pro.eventTypes).toEqual([['signup', pro.totalEvents]]);
});

it('a custom range the API refuses is explained beside the days, while the tiles keep the last good answers', async () => {
  const { page, question } = await openOverview();
  await page.getByText('Custom', { exact: true }).click();
  // The custom days start as the last seven.
  await expect.poll(() => question('analytics.timeseries', undefined)?.from).toBe(new Date(`${localDay(-6)}T00:00:00`).toISOString());
  const lastGood = await tilesMatchApi(page, question, undefined);

  await page.getByTestId('overview-first-day').fill(localDay(-500));
  const refusal = page.getByTestId('overview-range-error');
  await refusal.waitFor();
  expect(await refusal.innerText()).toMatch(/at most 400 days/);
  expect(await shownTiles(page)).toEqual(lastGood);

  await page.getByTestId('overview-first-day').fill(localDay(-2));
  await expect.poll(() => refusal.count()).toBe(0);
  await expect.poll(() => question('analytics.timeseries', undefined)?.from).toBe(new Date(`${localDay(-2)}T00:00:00`).toISOString());
  await tilesMatchApi(page, question, undefined);
});

it('offers only the granularities that fit the range, moving a chosen one that no longer fits', async () => {
  const page = await dashboard.openPage('overview');
  const granularity = page.getByTestId('overview-granularity');
  const offered = async () => {
    await granularity.click();
    const options = await page.getByRole('option').allInnerTexts();
    await page.keyboard.press('Escape');
    return options;
  };
  expect(await offered()).toEqual(['Auto', 'By hour', 'By day']);
  await granularity.click();
  await page.getByRole('option', { name: 'By hour' }).click();
  await page.getByText('by hour,').first().waitFor();

  await page.getByText('90 d', { exact: true }).click();
  await expect.poll(() => granularity.inputValue()).toBe('By day');
  expect(await offered()).toEqual(['Auto', 'By day', 'By week', 'By month']);
  await page.getByText('by day,').first().waitFor();

  await page.getByText('Today', { exact: true }).click();
  await expect.poll(() => granularity.inputValue()).not.toBe('By day');
  expect(await offered()).toContain('By minute');
  expect(await offered()).not.toContain('By day');
});

/** The local date `offset` days from today, as a date input takes it (the browser runs on this machine). */
function localDay(offset: number): string {
  const day = new Date();
  day.setDate(day.getDate() + offset);
  return day.toLocaleDateString('en-CA');
}
