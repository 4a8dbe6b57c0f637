import type { Page, Request } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import type { TFunnelRequest, TFunnelResponse } from '@pulse/shared/funnels';
import type { TGoal, TGoalsReportRequest, TGoalsReportResponse } from '@pulse/shared/goals';
import { bearer, callTrpc } from '@pulse/backend/test/trpc-http';
import { formatCount } from '../src/lib/format.ts';
import { formatPercent } from '../src/lib/percent.ts';
import { formatTimeSpan } from '../src/lib/time-span.ts';
import { trpcInputsOf } from './browser.ts';
import { useDashboard } from './dashboard-harness.ts';
import { downloadedRows } from './csv-download.ts';

const dashboard = useDashboard('funnels-goals');

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const WEEK_SECONDS = 7 * 86_400;

/**
 * What each visitor does, "step@minutes after their first event": some go all the way through pricing → signup
 * → purchase (at differing paces), some stop early, some do the steps out of order, one only signs up.
 */
const JOURNEYS = [
  'pricing@0 signup@3 purchase@65',
  'pricing@0 signup@10 purchase@12',
  'pricing@0 signup@1 purchase@600',
  'pricing@0 signup@45',
  'pricing@0 signup@7',
  'pricing@0',
  'pricing@0 purchase@20',
  'signup@0 pricing@5',
  'signup@0',
];

/** The journeys as events within the last day; one visitor anonymous, every third on the pro plan. */
function visits() {
  const start = Date.now() - 20 * HOUR_MS;
  return JOURNEYS.flatMap((journey, visitor) =>
    journey.split(' ').map((part) => {
      const [step, minutesIn] = part.split('@') as [string, string];
      const base = {
        ...(visitor === 4 ? { anonymousId: `anonymous-${visitor}` } : { userId: `visitor-${visitor}` }),
        messageId: `v${visitor}-${step}`,
        timestamp: new Date(start + visitor * 17 * MINUTE_MS + Number(minutesIn) * MINUTE_MS).toISOString(),
        properties: { plan: visitor % 3 === 0 ? 'pro' : 'free' },
      };
      return step === 'pricing'
        ? { ...base, type: 'page' as const, context: { page: { path: '/pricing' } } }
        : { ...base, type: 'track' as const, event: step };
    }),
  );
}

async function api<TData>(path: string, input: unknown): Promise<TData> {
  const answer = await callTrpc<TData>(dashboard.server.url, path, 'query', input, bearer(dashboard.tenant.keys.admin));
  if (answer.error) throw new Error(`${path}: ${answer.error.message}`);
  return answer.data!;
}

beforeAll(async () => {
  const batch = visits();
  const ingested = await dashboard.runtime.services.eventIngest.ingest(dashboard.tenant, { batch });
  expect(ingested.accepted).toBe(batch.length);
});

/** The input of every call of `procedure` the page makes, latest last. */
function recordInputs<TInput>(page: Page, procedure: string): TInput[] {
  const inputs: TInput[] = [];
  page.on('request', (request: Request) => {
    const url = request.url();
    if (url.includes('/trpc/') && url.includes(procedure)) inputs.push(trpcInputsOf(url).get(procedure) as TInput);
  });
  return inputs;
}

const cellTexts = (page: Page, testId: string) => page.getByTestId(testId).allInnerTexts();
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The funnel table as shown, and as the API's answer to the page's own latest request would show it. */
async function funnelShownAndAnswered(page: Page, inputs: TFunnelRequest[]) {
  const answer = await api<TFunnelResponse>('analytics.funnel', inputs.at(-1));
  const shown = {
    visitors: await cellTexts(page, 'funnel-visitors'),
    conversion: await cellTexts(page, 'funnel-conversion'),
    dropped: await cellTexts(page, 'funnel-dropped'),
    median: await cellTexts(page, 'funnel-median'),
    breakdown: await page
      .getByTestId('funnel-breakdown-row')
      .evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.innerText))),
  };
  const { steps } = answer;
  const answered = {
    visitors: steps.map((step) => formatCount(step.visitors)),
    conversion: steps.map((step) => formatPercent(step.conversion)),
    // "5 (50%)": the visitors lost since the step before, and their share of it.
    dropped: steps.map((step, index) => (index === 0 ? '—' : `${formatCount(step.dropped)} (${formatPercent(step.dropped / steps[index - 1]!.visitors)})`)),
    median: steps.map((step) => (step.medianSecondsFromPrevious === null ? '—' : formatTimeSpan(step.medianSecondsFromPrevious))),
    // Each value: visitors at each step, with the share of the value's entrants after step 1.
    breakdown: (answer.breakdown?.rows ?? []).map((row) => [
      row.value,
      ...row.steps.map((step, index) => (index === 0 ? formatCount(step.visitors) : `${formatCount(step.visitors)} (${formatPercent(step.conversion)})`)),
    ]),
  };
  return { shown, answered, answer };
}

it('Funnels: a funnel built on the page shows the numbers the API gives for it, and a reload keeps it', async () => {
  const page = await dashboard.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const inputs = recordInputs<TFunnelRequest>(page, 'analytics.funnel');
  await page.goto(`${dashboard.server.url}/?key=${dashboard.tenant.keys.admin}#/funnels`);
  await page.getByTestId('funnel-none').waitFor();

  await page.getByTestId('funnel-step-1-kind').getByText('Page', { exact: true }).click();
  await page.getByTestId('funnel-step-1-path').fill('/pricing');
  await page.getByTestId('funnel-step-2-name').fill('signup');
  await page.getByTestId('funnel-step-2-name').press('Escape');
  await page.getByTestId('funnel-add-step').click();
  await page.getByTestId('funnel-step-3-name').fill('purchase');
  await page.getByTestId('funnel-step-3-name').press('Escape');
  await page.getByTestId('funnel-window').click();
  await page.getByRole('option', { name: '7 days' }).click();
  await page.getByTestId('funnel-breakdown').click();
  await page.getByRole('option', { name: 'Property…' }).click();
  await page.getByTestId('funnel-breakdown-property').fill('plan');
  await page.getByTestId('funnel-breakdown-property').press('Escape');
  await page.getByTestId('funnel-show').click();

  await page.getByTestId('funnel-table').waitFor();
  expect(inputs.at(-1)).toMatchObject({
    steps: [
      { kind: 'page', path: '/pricing', match: 'is' },
      { kind: 'event', name: 'signup' },
      { kind: 'event', name: 'purchase' },
    ],
    windowSeconds: WEEK_SECONDS,
    breakdown: { property: 'plan' },
  });
  await expect.poll(async () => (await funnelShownAndAnswered(page, inputs)).shown.breakdown).toHaveLength(2);
  const { shown, answered, answer } = await funnelShownAndAnswered(page, inputs);
  // Numbers worth comparing: some visitors went all the way, fewer than began, on both plans.
  expect(answer.steps[2]!.visitors).toBeGreaterThan(0);
  expect(answer.steps[2]!.visitors).toBeLessThan(answer.steps[0]!.visitors);
  expect(answer.breakdown!.rows.map((row) => row.value).sort()).toEqual(['free', 'pro']);
  expect(shown).toEqual(answered);
  expect(await cellTexts(page, 'funnel-label')).toEqual(['1. page /pricing', '2. signup', '3. purchase']);

  // The download asks the same question: the same-origin CSV route, with the page's input.
  const csvUrl = new URL((await page.getByTestId('funnel-csv').getAttribute('href'))!, dashboard.server.url);
  expect(csvUrl.pathname).toBe('/api/csv/analytics.funnel');
  expect(JSON.parse(csvUrl.searchParams.get('input')!)).toEqual(inputs.at(-1));
  expect(await downloadedRows(page, 'funnel-csv')).toEqual([
    ['label', 'visitors', 'dropped', 'conversion', 'medianSecondsFromPrevious'],
    ...answer.steps.map((step) => [step.label, step.visitors, step.dropped, step.conversion, step.medianSecondsFromPrevious ?? ''].map(String)),
  ]);

  expect(page.url()).toContain('#/funnels?step=');
  await page.reload();
  await page.getByTestId('funnel-table').waitFor();
  expect(await page.getByTestId('funnel-step-1-path').inputValue()).toBe('/pricing');
  expect(await page.getByTestId('funnel-step-2-name').inputValue()).toBe('signup');
  expect(await page.getByTestId('funnel-step-3-name').inputValue()).toBe('purchase');
  expect(await page.getByTestId('funnel-window').inputValue()).toBe('7 days');
  expect(await page.getByTestId('funnel-breakdown-property').inputValue()).toBe('plan');
  await expect
    .poll(async () => {
      const again = await funnelShownAndAnswered(page, inputs);
      return again.shown.breakdown.length > 0 && same(again.shown, again.answered);
    })
    .toBe(true);
  await dashboard.screenshot(page, 'funnels');

  // A filter on the whole funnel: every step counts only the events that meet it, and the address keeps it.
  // The filter bar's own: each step's event picker has one too.
  await page.getByTestId('filter-bar').getByTestId('add-filter').click();
  const form = page.getByTestId('add-filter-form');
  await form.getByTestId('filter-field').click();
  await form.getByRole('option', { name: 'Property…', exact: true }).click();
  await form.getByTestId('filter-key').fill('plan');
  await form.getByTestId('filter-value').fill('pro');
  await form.getByTestId('filter-apply').click();
  await page.getByTestId('filter-chip').filter({ hasText: 'Property plan is pro' }).waitFor();
  const pro = [{ field: 'property', key: 'plan', operator: 'is', value: 'pro' }];
  await expect.poll(() => inputs.at(-1)?.filters).toEqual(pro);
  await expect
    .poll(async () => {
      const filtered = await funnelShownAndAnswered(page, inputs);
      return same(filtered.shown, filtered.answered) && filtered.shown.breakdown.map((row) => row[0]);
    })
    .toEqual(['pro']);
  const filtered = await funnelShownAndAnswered(page, inputs);
  expect(filtered.answer.steps.map((step) => step.visitors)).toEqual([3, 2, 1]);
  expect(page.url()).toContain('&filter=property%3Aplan%3Ais%3Apro');
  await page.reload();
  await page.getByTestId('filter-chip').filter({ hasText: 'Property plan is pro' }).waitFor();
  await page.getByRole('button', { name: 'Remove filter Property plan is pro' }).click();
  await expect.poll(() => inputs.at(-1)?.filters).toBeUndefined();
  await page.close();
});

/** Each goal row as shown, and as the API reports the page's own latest request. */
async function goalsShownAndReported(page: Page, inputs: TGoalsReportRequest[]) {
  const report = await api<TGoalsReportResponse>('analytics.goals', inputs.at(-1));
  const shown = await page
    .getByTestId('goal-row')
    .evaluateAll((rows) =>
      rows.map((row) => [
        row.getAttribute('data-goal'),
        ...['conversions', 'visitors', 'rate'].map((figure) => row.querySelector<HTMLElement>(`[data-testid="goal-${figure}"]`)!.innerText),
      ]),
    );
  const reported = report.goals.map((goal) => [goal.name, formatCount(goal.conversions), formatCount(goal.visitors), formatPercent(goal.rate)]);
  return { shown, reported, report };
}

it('Goals: goals created on the page show the conversions, visitors and rates the API reports, and can be edited and deleted', async () => {
  const page = await dashboard.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const inputs = recordInputs<TGoalsReportRequest>(page, 'analytics.goals');
  await page.goto(`${dashboard.server.url}/?key=${dashboard.tenant.keys.admin}#/goals`);
  await page.getByTestId('goals-empty').waitFor();
  const rowOf = (name: string) => page.locator(`[data-testid="goal-row"][data-goal="${name}"]`);

  await page.getByTestId('goal-name').fill('Signed up');
  await page.getByTestId('goal-match-name').fill('signup');
  await page.getByTestId('goal-match-name').press('Escape');
  await page.getByTestId('goal-save').click();
  await rowOf('Signed up').waitFor();

  // A second goal, narrowed by a property filter.
  await page.getByTestId('goal-name').fill('Pro signup');
  await page.getByTestId('goal-match-name').fill('signup');
  await page.getByTestId('goal-match-name').press('Escape');
  await page.getByTestId('add-filter').click();
  await page.getByTestId('filter-field').click();
  await page.getByRole('option', { name: 'Property…' }).click();
  await page.getByTestId('filter-key').fill('plan');
  await page.getByTestId('filter-value').fill('pro');
  await page.getByTestId('filter-apply').click();
  await page.getByTestId('goal-save').click();
  await rowOf('Pro signup').waitFor();

  await expect
    .poll(async () => {
      const { shown, reported } = await goalsShownAndReported(page, inputs);
      return same(shown, reported);
    })
    .toBe(true);
  const { report } = await goalsShownAndReported(page, inputs);
  // Numbers worth comparing: the filter narrows the goal, and neither goal reaches every visitor.
  expect(report.goals[1]!.visitors).toBeGreaterThan(0);
  expect(report.goals[1]!.visitors).toBeLessThan(report.goals[0]!.visitors);
  expect(report.goals[0]!.rate).toBeLessThan(1);
  expect(await page.getByTestId('goals-total-visitors').innerText()).toBe(formatCount(report.visitors));
  expect(await cellTexts(page, 'goal-reached-by')).toEqual(['event signup', 'event signup where Property plan is pro']);
  expect(await api<TGoal[]>('goals.list', undefined)).toEqual([
    { id: expect.any(Number), name: 'Signed up', match: { kind: 'event', name: 'signup' } },
    {
      id: expect.any(Number),
      name: 'Pro signup',
      match: { kind: 'event', name: 'signup', filters: [{ field: 'property', key: 'plan', operator: 'is', value: 'pro' }] },
    },
  ]);
  const csvUrl = new URL((await page.getByTestId('goals-csv').getAttribute('href'))!, dashboard.server.url);
  expect(csvUrl.pathname).toBe('/api/csv/analytics.goals');
  expect(JSON.parse(csvUrl.searchParams.get('input')!)).toEqual(inputs.at(-1));
  expect(await downloadedRows(page, 'goals-csv')).toEqual([
    ['name', 'conversions', 'visitors', 'rate'],
    ...report.goals.map((goal) => [goal.name, goal.conversions, goal.visitors, goal.rate].map(String)),
  ]);
  await dashboard.screenshot(page, 'goals');

  // The Overview shows the same goals, with the figures the API gives for its own range.
  const overview = await dashboard.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const overviewInputs = recordInputs<TGoalsReportRequest>(overview, 'analytics.goals');
  await overview.goto(`${dashboard.server.url}/?key=${dashboard.tenant.keys.admin}#/overview`);
  await overview.locator('[data-testid="overview-goal-row"][data-goal="Pro signup"]').waitFor();
  await expect
    .poll(async () => {
      const onOverview = await overview.getByTestId('overview-goal-row').evaluateAll((rows) =>
        rows.map((row) => [
          row.getAttribute('data-goal'),
          ...Array.from(row.querySelectorAll('td'))
            .slice(1)
            .map((cell) => cell.innerText),
        ]),
      );
      const reported = (await api<TGoalsReportResponse>('analytics.goals', overviewInputs.at(-1))).goals.map((goal) => [
        goal.name,
        formatCount(goal.conversions),
        formatCount(goal.visitors),
        formatPercent(goal.rate),
      ]);
      return overviewInputs.length > 0 && same(onOverview, reported);
    })
    .toBe(true);
  await overview.close();

  // Editing a goal: a new name, and page views instead of the event (its filter kept); the report follows.
  await rowOf('Pro signup').getByRole('button', { name: 'Edit' }).click();
  expect(await page.getByTestId('goal-name').inputValue()).toBe('Pro signup');
  await page.getByTestId('goal-name').fill('Pro on pricing');
  await page.getByTestId('goal-match-kind').getByText('Page', { exact: true }).click();
  await page.getByTestId('goal-match-path').fill('/pricing');
  await page.getByTestId('goal-save').click();
  await rowOf('Pro on pricing').waitFor();
  expect(await rowOf('Pro on pricing').getByTestId('goal-reached-by').innerText()).toBe('page /pricing where Property plan is pro');
  await expect
    .poll(async () => {
      const { shown, reported } = await goalsShownAndReported(page, inputs);
      return same(shown, reported) && shown.length === 2;
    })
    .toBe(true);

  await rowOf('Signed up').getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('goal-delete-confirm').click();
  await rowOf('Signed up').waitFor({ state: 'detached' });
  expect((await api<TGoal[]>('goals.list', undefined)).map((goal) => goal.name)).toEqual(['Pro on pricing']);
  await page.close();
});

it('Goals: a read key sees the report but cannot change goals, and is told why', async () => {
  const page = await dashboard.openPage('goals', dashboard.tenant.keys.read);
  await page.getByTestId('goals-read-only').waitFor();
  expect(await page.getByTestId('goals-read-only').innerText()).toContain('admin key');
  await page.getByTestId('goal-table').or(page.getByTestId('goals-empty')).waitFor();
  expect(await page.getByTestId('goal-form').count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
  await page.close();
});
