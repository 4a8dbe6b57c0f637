import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it, vi } from 'vitest';
import type { TBreakdownResponse, TPropertyBreakdownResponse, TSummaryResponse, TTimeseriesResponse, TTopPagesResponse } from '@pulse/shared/analytics';
import type { TRetentionResponse } from '@pulse/shared/cohorts';
import type { TFunnelResponse } from '@pulse/shared/funnels';
import type { TGoalsReportResponse } from '@pulse/shared/goals';
import type { TBoard, TBoardSummary } from '@pulse/shared/boards';
import { MAX_BOARDS_BY_PLAN } from '@pulse/shared/plans';
import { TenantRepository } from '@pulse/backend/repositories/tenant-repository';
import { bearer, callTrpc } from '@pulse/backend/test/trpc-http';
import { retentionCellText } from '../src/lib/retention-cells.ts';
import { useDashboard } from './dashboard-harness.ts';

const dashboard = useDashboard('boards');

const COUNTRIES = ['DE', 'FR', 'US', 'DE', 'JP'];
const PATHS = ['/', '/pricing', '/docs', '/pricing', '/blog', '/'];
const VISITORS = 30;
const HOUR_MS = 3_600_000;

/** Page views, and signups (with a plan) after some of them, of a few dozen visitors over the last day, from several countries. */
function visits() {
  const now = Date.now();
  const batch = [];
  for (let visitor = 0; visitor < VISITORS; visitor += 1) {
    const context = (path: string) => ({ location: { country: COUNTRIES[visitor % COUNTRIES.length] }, sessionId: `session-${visitor % 12}`, page: { path } });
    const viewedAt = now - (visitor % 20) * HOUR_MS - 60_000;
    const base = { anonymousId: `visitor-${visitor}`, timestamp: new Date(viewedAt).toISOString() };
    batch.push({ ...base, type: 'page' as const, messageId: `page-${visitor}`, context: context(PATHS[visitor % PATHS.length]!) });
    if (visitor % 3 === 0) {
      const properties = { plan: visitor % 2 === 0 ? 'pro' : 'free' };
      // Half a minute after the page view: a funnel counts steps strictly in order.
      const timestamp = new Date(viewedAt + 30_000).toISOString();
      batch.push({ ...base, timestamp, type: 'track' as const, event: 'signup', messageId: `signup-${visitor}`, properties, context: context('/signup') });
    }
  }
  return batch;
}

async function api<TData>(path: string, type: 'query' | 'mutation', input: unknown, key = dashboard.tenant.keys.admin): Promise<TData> {
  const answer = await callTrpc<TData>(dashboard.server.url, path, type, input, bearer(key));
  if (answer.error) throw new Error(`${path}: ${answer.error.message}`);
  return answer.data!;
}

beforeAll(async () => {
  const batch = visits();
  await dashboard.runtime.services.eventIngest.ingest(dashboard.tenant, { batch });
  // Ingestion may commit in the background: wait until every event counts.
  const week = { from: new Date(Date.now() - 7 * 86_400_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
  await vi.waitFor(async () => expect((await api<TSummaryResponse>('analytics.summary', 'query', week)).totalEvents).toBe(batch.length), {
    timeout: 15_000,
    interval: 200,
  });
});

/** Each tile as the page shows it: title, procedure, layout and where it is drawn. */
async function shownTiles(page: Page) {
  return page.getByTestId('board-tile').evaluateAll((tiles) =>
    tiles.map((tile) => {
      const box = tile.getBoundingClientRect();
      return {
        title: tile.getAttribute('data-title'),
        procedure: tile.getAttribute('data-procedure'),
        layout: tile.getAttribute('data-layout'),
        // Where on the page, whatever it is scrolled to.
        box: [box.x + window.scrollX, box.y + window.scrollY, box.width, box.height].map(Math.round),
      };
    }),
  );
}

/** Picks `option` in the Mantine Select with this test id. */
async function choose(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Adds a tile through the "Add tile" modal and waits for the board to show it. */
async function addTile(page: Page, insight: string, options: { width?: string; fill?: () => Promise<void> } = {}) {
  const before = await page.getByTestId('board-tile').count();
  await page.getByTestId('board-add-tile').click();
  await choose(page, 'tile-insight', insight);
  await options.fill?.();
  if (options.width) await page.getByTestId('tile-width-input').getByText(options.width, { exact: true }).click();
  await page.getByTestId('add-tile-submit').click();
  await page.getByTestId('add-tile-form').waitFor({ state: 'detached' });
  await vi.waitFor(async () => expect(await page.getByTestId('board-tile').count()).toBe(before + 1));
}

/**
 * The inputs of the analytics questions the page asks, by procedure, as they are sent (batched or not): the
 * test asks the API the same questions.
 */
function recordQuestions(page: Page) {
  const asked = new Map<string, Array<Record<string, unknown>>>();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/trpc/') || !url.pathname.includes('analytics.')) return;
    const procedures = url.pathname.replace(/^\/trpc\//, '').split(',');
    const inputs = JSON.parse(url.searchParams.get('input') ?? '{}') as Record<string, Record<string, unknown>>;
    procedures.forEach((procedure, index) => {
      const input = url.searchParams.get('batch') === '1' ? inputs[String(index)] : inputs;
      if (input) asked.set(procedure, [...(asked.get(procedure) ?? []), input]);
    });
  });
  return (procedure: string) => asked.get(procedure)?.at(-1);
}

const tileOf = (page: Page, procedure: string) => page.locator(`[data-testid="board-tile"][data-procedure="${procedure}"]`);
const rowsIn = (page: Page, procedure: string, rowTestId: string) =>
  tileOf(page, procedure)
    .locator(`[data-testid="${rowTestId}"]`)
    .evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-value'), (row as HTMLTableRowElement).cells[1]!.innerText.trim()]));

it('a board with three saved insights, laid out through the buttons, survives a reload with the numbers the API gives', async () => {
  const page = await dashboard.openPage('boards', dashboard.tenant.keys.admin);
  await page.getByText(`0 of ${MAX_BOARDS_BY_PLAN.pro} boards (pro plan)`).waitFor();
  await page.getByTestId('board-name-input').fill('Weekly');
  await page.getByTestId('board-create').click();
  await page.getByTestId('board-name').getByText('Weekly').waitFor();
  await page.getByText(`1 of ${MAX_BOARDS_BY_PLAN.pro} boards (pro plan)`).waitFor();

  await addTile(page, 'Summary');
  await addTile(page, 'Breakdown', { fill: () => choose(page, 'tile-dimension', 'Country'), width: '4' });
  await addTile(page, 'Top pages', { width: '12' });
  // Rows: [summary 6, country 4] and [top pages 12]. Top pages goes up onto a row of its own above the
  // first (it does not fit beside them); the breakdown widens to half the grid.
  await tileOf(page, 'analytics.topPages').getByTestId('tile-move-up').click();
  await tileOf(page, 'analytics.breakdown').getByTestId('tile-width').getByText('6', { exact: true }).click();
  const expectedLayouts = {
    'analytics.topPages': '0,0,12,6',
    'analytics.summary': '0,6,6,3',
    'analytics.breakdown': '6,6,6,6',
  };

  // Saved: the API holds the layout the page shows.
  const board = await page.getByTestId('board-view').getAttribute('data-board-id');
  const saved = async () => {
    const stored = await api<TBoard>('boards.get', 'query', { id: Number(board) });
    return Object.fromEntries(stored.tiles.map((tile) => [tile.insight.procedure, Object.values(tile.layout).join(',')]));
  };
  await vi.waitFor(async () => expect(await saved()).toEqual(expectedLayouts), { timeout: 10_000, interval: 200 });
  await page.locator('[data-testid="board-save-state"][data-saving="false"]').waitFor();
  const before = await shownTiles(page);
  expect(Object.fromEntries(before.map((tile) => [tile.procedure, tile.layout]))).toEqual(expectedLayouts);
  expect(before.map((tile) => tile.title).sort()).toEqual(['Events by country', 'Summary', 'Top pages']);

  const askedFor = recordQuestions(page);
  await page.reload();
  await page.getByTestId('board-name').getByText('Weekly').waitFor();
  await vi.waitFor(async () => expect(await page.getByTestId('board-tile').count()).toBe(3));
  await vi.waitFor(async () => expect(await page.getByTestId('tile-loading').count()).toBe(0));
  expect(await shownTiles(page)).toEqual(before);

  // Each tile shows what its own procedure answers for the question the page asked, with the tile's 7-day range.
  const summaryInput = askedFor('analytics.summary')!;
  expect(Date.parse(String(summaryInput.to)) - Date.parse(String(summaryInput.from))).toBe(7 * 86_400_000);
  const summary = await api<TSummaryResponse>('analytics.summary', 'query', summaryInput);
  expect(summary.totalEvents).toBeGreaterThan(0);
  const summaryTile = tileOf(page, 'analytics.summary');
  expect(await summaryTile.getByTestId('tile-total-events').innerText()).toBe(summary.totalEvents.toLocaleString('en-US'));
  expect(await summaryTile.getByTestId('tile-unique-users').innerText()).toBe(summary.uniqueUsers.toLocaleString('en-US'));
  expect(await summaryTile.getByTestId('tile-sessions').innerText()).toBe(summary.sessions.toLocaleString('en-US'));

  const breakdownInput = askedFor('analytics.breakdown')!;
  expect(breakdownInput.by).toBe('country');
  const countries = await api<TBreakdownResponse>('analytics.breakdown', 'query', breakdownInput);
  expect(countries.rows.length).toBeGreaterThan(1);
  expect(await rowsIn(page, 'analytics.breakdown', 'tile-row')).toEqual(countries.rows.map((row) => [row.value, row.count.toLocaleString('en-US')]));

  const pages = await api<TTopPagesResponse>('analytics.topPages', 'query', askedFor('analytics.topPages'));
  expect(pages.pages.length).toBeGreaterThan(1);
  expect(await rowsIn(page, 'analytics.topPages', 'top-page-row')).toEqual(pages.pages.map((row) => [row.path, row.views.toLocaleString('en-US')]));

  await dashboard.screenshot(page, 'boards');

  // A read key sees the same board, without the controls that would change it.
  const reader = await dashboard.openPage(`boards?board=${board}`);
  await reader.getByTestId('boards-read-only').waitFor();
  await vi.waitFor(async () => expect(await reader.getByTestId('board-tile').count()).toBe(3));
  expect(Object.fromEntries((await shownTiles(reader)).map((tile) => [tile.procedure, tile.layout]))).toEqual(expectedLayouts);
  for (const control of ['board-add-tile', 'board-create', 'board-rename', 'board-delete', 'tile-move-up', 'tile-width', 'tile-remove']) {
    expect(await reader.getByTestId(control).count(), control).toBe(0);
  }
});

it("refuses a free plan's fourth board, saying why beside the form", async () => {
  const { runtime } = dashboard;
  const slug = `boards-free-${randomBytes(4).toString('hex')}`;
  const tenant = await new TenantRepository(runtime.prisma).create({ slug, name: 'Free boards', plan: 'free' });
  const { key } = await runtime.services.apiKeys.createKey(tenant.id, 'admin', 'boards admin');
  const limit = MAX_BOARDS_BY_PLAN.free!;
  for (let board = 1; board < limit; board += 1) await api('boards.create', 'mutation', { name: `Board ${board}` }, key);

  const page = await dashboard.openPage('boards', key);
  await page.getByText(`${limit - 1} of ${limit} boards (free plan)`).waitFor();
  await page.getByTestId('board-name-input').fill('The last one');
  await page.getByTestId('board-create').click();
  await page.getByTestId('board-name').getByText('The last one').waitFor();
  await page.getByText(`${limit} of ${limit} boards (free plan)`).waitFor();

  await page.getByTestId('board-name-input').fill('One too many');
  await page.getByTestId('board-create').click();
  const refusal = page.getByTestId('board-create-error');
  await refusal.waitFor();
  const asked = await callTrpc(dashboard.server.url, 'boards.create', 'mutation', { name: 'One too many' }, bearer(key));
  expect(asked.error?.data?.appCode).toBe('FORBIDDEN');
  expect(await refusal.innerText()).toContain(asked.error!.message);
  expect(asked.error!.message).toContain(`free plan allows ${limit} boards`);
  // In place: the board shown and the tabs are as they were, and no notice covers the page.
  expect(await page.getByTestId('board-name').innerText()).toBe('The last one');
  expect(await page.getByTestId('board-tab').count()).toBe(limit);
  expect(await page.locator('.mantine-Notification-root').count()).toBe(0);
  expect((await api<TBoardSummary[]>('boards.list', 'query', undefined, key)).map((board) => board.name)).not.toContain('One too many');
});

it('shows a failed answer, or an insight this dashboard cannot draw, in that tile alone', async () => {
  const tile = (title: string, x: number, insight: Record<string, unknown>) => ({ title, layout: { x, y: 0, w: 4, h: 6 }, insight });
  const board = await api<TBoard>('boards.create', 'mutation', {
    name: 'Partly broken',
    tiles: [
      tile('Headline', 0, { procedure: 'analytics.summary', input: {}, rangePreset: '7d' }),
      tile('Countries', 4, { procedure: 'analytics.breakdown', input: { by: 'country' }, rangePreset: '7d' }),
    ],
  });
  // A real refusal of the API's, to stand in for the breakdown's answer.
  const refused = await callTrpc(dashboard.server.url, 'analytics.breakdown', 'query', { by: 'country' }, bearer(dashboard.tenant.keys.read));
  expect(refused.error).toBeDefined();
  const page = await dashboard.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.route('**/trpc/**', async (route) => {
    const url = new URL(route.request().url());
    const procedures = url.pathname.replace(/^\/trpc\//, '').split(',');
    if (!procedures.includes('analytics.breakdown') && !procedures.includes('boards.get')) return route.continue();
    const response = await route.fetch();
    const batched = url.searchParams.get('batch') === '1';
    const body = (await response.json()) as unknown;
    const answers = (batched ? body : [body]) as Array<{ result?: { data: TBoard }; error?: unknown }>;
    procedures.forEach((procedure, index) => {
      if (procedure === 'analytics.breakdown') answers[index] = { error: refused.error };
      // A tile of an insight a later server may offer.
      const shown = answers[index]?.result?.data;
      if (procedure === 'boards.get' && shown)
        shown.tiles.push({
          ...shown.tiles[0]!,
          id: 'later',
          title: 'Later',
          layout: { x: 8, y: 0, w: 4, h: 6 },
          insight: { procedure: 'analytics.someday', input: {}, rangePreset: '7d' } as never,
        });
    });
    return route.fulfill({ response, json: batched ? answers : answers[0] });
  });
  await page.goto(`${dashboard.server.url}/?key=${dashboard.tenant.keys.read}#/boards?board=${board.id}`);

  const summary = await api<TSummaryResponse>('analytics.summary', 'query', {
    from: new Date(Date.now() - 7 * 86_400_000).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
  });
  await tileOf(page, 'analytics.summary').getByTestId('tile-total-events').getByText(summary.totalEvents.toLocaleString('en-US')).waitFor();
  const failed = tileOf(page, 'analytics.breakdown').getByRole('alert');
  await failed.waitFor();
  expect(await failed.innerText()).toContain(refused.error!.message);
  await tileOf(page, 'analytics.someday').getByTestId('tile-unknown').waitFor();
  // Only those two tiles say anything is wrong.
  expect(await page.getByTestId('board-grid').getByRole('alert').count()).toBe(2);
  expect(await tileOf(page, 'analytics.summary').getByRole('alert').count()).toBe(0);
});

it('adds a chart, a property breakdown, a funnel, the goals and retention through the form, each showing its API answer', async () => {
  await api('goals.create', 'mutation', { name: 'Signed up', match: { kind: 'event', name: 'signup' } });
  const page = await dashboard.openPage('boards', dashboard.tenant.keys.admin);
  const askedFor = recordQuestions(page);
  await page.getByTestId('board-name-input').fill('Everything else');
  await page.getByTestId('board-create').click();
  await page.getByTestId('board-name').getByText('Everything else').waitFor();

  await addTile(page, 'Events over time', { fill: () => choose(page, 'tile-event-name', 'signup') });
  await addTile(page, 'Property breakdown', {
    fill: async () => {
      await page.getByTestId('tile-property-key').fill('plan');
      await page.keyboard.press('Escape');
    },
  });
  await addTile(page, 'Funnel', {
    fill: async () => {
      await choose(page, 'tile-funnel-step-1', 'page_view');
      await choose(page, 'tile-funnel-step-2', 'signup');
    },
  });
  await addTile(page, 'Goals');
  await addTile(page, 'Retention', { fill: () => choose(page, 'tile-period', 'day') });
  await vi.waitFor(async () => expect(await page.getByTestId('tile-loading').count()).toBe(0));
  expect((await shownTiles(page)).map((tile) => tile.title)).toEqual([
    'signup over time',
    'Property plan',
    'Funnel: page_view → signup',
    'Goals',
    'Retention by day',
  ]);

  const series = await api<TTimeseriesResponse>('analytics.timeseries', 'query', askedFor('analytics.timeseries'));
  const signups = series.points.reduce((sum, point) => sum + point.count, 0);
  expect(signups).toBeGreaterThan(0);
  expect(await tileOf(page, 'analytics.timeseries').getByTestId('tile-series-total').innerText()).toBe(signups.toLocaleString('en-US'));

  const plans = await api<TPropertyBreakdownResponse>('analytics.propertyBreakdown', 'query', askedFor('analytics.propertyBreakdown'));
  expect(plans.rows.map((row) => row.value).sort()).toEqual(['free', 'pro']);
  expect(await rowsIn(page, 'analytics.propertyBreakdown', 'tile-row')).toEqual(plans.rows.map((row) => [row.value, row.count.toLocaleString('en-US')]));

  const funnel = await api<TFunnelResponse>('analytics.funnel', 'query', askedFor('analytics.funnel'));
  expect(funnel.steps.map((step) => step.visitors)).not.toContain(0);
  expect(await rowsIn(page, 'analytics.funnel', 'tile-row')).toEqual(
    funnel.steps.map((step, index) => [`${index + 1}. ${step.label}`, step.visitors.toLocaleString('en-US')]),
  );

  const goals = await api<TGoalsReportResponse>('analytics.goals', 'query', askedFor('analytics.goals'));
  expect(goals.goals.find((goal) => goal.name === 'Signed up')?.conversions).toBeGreaterThan(0);
  expect(await rowsIn(page, 'analytics.goals', 'tile-row')).toEqual(goals.goals.map((goal) => [goal.name, goal.conversions.toLocaleString('en-US')]));

  // The retention tile is the Retention page's triangle: each cohort's size and every cell as the API gives them.
  const retention = await api<TRetentionResponse>('analytics.retention', 'query', askedFor('analytics.retention'));
  expect(retention.periods.some((cohort) => cohort.size > 0)).toBe(true);
  const triangle = tileOf(page, 'analytics.retention');
  for (const [row, cohort] of retention.periods.entries()) {
    expect(await triangle.getByTestId(`retention-size-${row}`).innerText()).toBe(cohort.size.toLocaleString('en-US'));
    for (const [offset, cell] of cohort.values.entries()) {
      expect(await triangle.getByTestId(`retention-cell-${row}-${offset}`).innerText()).toBe(retentionCellText(cohort.size, cell.percent));
    }
  }
});

it('renames a board, and deletes it once asked to confirm', async () => {
  await api('boards.create', 'mutation', { name: 'Kept' });
  const board = await api<TBoard>('boards.create', 'mutation', { name: 'Draft' });
  const page = await dashboard.openPage(`boards?board=${board.id}`, dashboard.tenant.keys.admin);
  await page.getByTestId('board-name').getByText('Draft').waitFor();
  await page.getByTestId('board-rename').click();
  await page.getByTestId('board-rename-input').fill('Final');
  await page.getByTestId('board-rename-save').click();
  await page.getByTestId('board-name').getByText('Final').waitFor();
  await page.locator(`[data-testid="board-tab"][data-board-id="${board.id}"]`).getByText('Final').waitFor();
  expect((await api<TBoard>('boards.get', 'query', { id: board.id })).name).toBe('Final');

  await page.getByTestId('board-delete').click();
  await page.getByTestId('board-delete-confirm').click();
  await page.locator(`[data-testid="board-tab"][data-board-id="${board.id}"]`).waitFor({ state: 'detached' });
  expect((await api<TBoardSummary[]>('boards.list', 'query', undefined)).map((summary) => summary.id)).not.toContain(board.id);
  // Another board of the tenant is shown in its place.
  await page.getByTestId('board-view').waitFor();
  expect(await page.getByTestId('board-view').getAttribute('data-board-id')).not.toBe(String(board.id));
});
