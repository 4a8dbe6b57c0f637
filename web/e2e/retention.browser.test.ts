import type { Page, Request } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { MAX_COHORTS, type TRetentionRequest, type TRetentionResponse } from '@pulse/shared/cohorts';
import { bearer, callTrpc } from '@pulse/backend/test/trpc-http';
import { formatCount } from '../src/lib/format.ts';
import { cohortLabeller, retentionCellText } from '../src/lib/retention-cells.ts';
import { trpcInputsOf } from './browser.ts';
import { useDashboard } from './dashboard-harness.ts';
import { downloadedRows } from './csv-download.ts';

const dashboard = useDashboard('retention');

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Each visitor's events, "days ago:what" (a page view, or the purchase event): first seen on different days of
 * the last week, coming back on some later days, some of them by purchasing.
 */
const VISITS = [
  '6:page 5:page 3:purchase 1:page',
  '6:page 4:page',
  '6:page',
  '5:page 4:purchase 2:page 0:page',
  '5:page 5:purchase',
  '4:page 3:page 2:page',
  '4:page',
  '3:page 1:purchase',
  '2:page 1:page 0:purchase',
  '1:page',
  '0:page',
];

function visits() {
  const now = Date.now();
  return VISITS.flatMap((visit, visitor) =>
    visit.split(' ').map((part, index) => {
      const [daysAgo, what] = part.split(':') as [string, string];
      const base = {
        userId: `visitor-${visitor}`,
        messageId: `r${visitor}-${index}`,
        timestamp: new Date(now - Number(daysAgo) * DAY_MS - (1 + (visitor % 5)) * HOUR_MS).toISOString(),
      };
      return what === 'page' ? { ...base, type: 'page' as const, context: { page: { path: '/home' } } } : { ...base, type: 'track' as const, event: what };
    }),
  );
}

beforeAll(async () => {
  const batch = visits();
  const ingested = await dashboard.runtime.services.eventIngest.ingest(dashboard.tenant, { batch });
  expect(ingested.accepted).toBe(batch.length);
});

async function retentionAnswer(input: TRetentionRequest | undefined): Promise<TRetentionResponse> {
  const answer = await callTrpc<TRetentionResponse>(dashboard.server.url, 'analytics.retention', 'query', input, bearer(dashboard.tenant.keys.admin));
  if (answer.error) throw new Error(`analytics.retention: ${answer.error.message}`);
  return answer.data!;
}

/** The input of every analytics.retention call the page makes, latest last. */
function recordInputs(page: Page): TRetentionRequest[] {
  const inputs: TRetentionRequest[] = [];
  page.on('request', (request: Request) => {
    const url = request.url();
    if (url.includes('/trpc/') && url.includes('analytics.retention')) inputs.push(trpcInputsOf(url).get('analytics.retention') as TRetentionRequest);
  });
  return inputs;
}

const textsOf = (page: Page, testIdPrefix: string) =>
  page
    .locator(`[data-testid^="${testIdPrefix}"]`)
    .evaluateAll((cells) => cells.map((cell) => [cell.getAttribute('data-testid'), (cell as HTMLElement).innerText]));

/** The triangle as shown, and as the API's answer to the page's own latest request would show it. */
async function shownAndAnswered(page: Page, inputs: TRetentionRequest[]) {
  const answer = await retentionAnswer(inputs.at(-1));
  const labelOf = cohortLabeller(answer.period, answer.timeZone);
  const shown = {
    starts: await textsOf(page, 'retention-start-'),
    sizes: await textsOf(page, 'retention-size-'),
    cells: await textsOf(page, 'retention-cell-'),
  };
  const answered = {
    starts: answer.periods.map((cohort, row) => [`retention-start-${row}`, labelOf(cohort.start)]),
    sizes: answer.periods.map((cohort, row) => [`retention-size-${row}`, formatCount(cohort.size)]),
    cells: answer.periods.flatMap((cohort, row) =>
      cohort.values.map((cell, offset) => [`retention-cell-${row}-${offset}`, retentionCellText(cohort.size, cell.percent)]),
    ),
  };
  return { shown, answered, answer };
}

/** Waits until the latest request is what `expected` says and the table shows the API's answer to it; that answer. */
async function waitForAnswerShown(page: Page, inputs: TRetentionRequest[], expected: (input: TRetentionRequest) => boolean): Promise<TRetentionResponse> {
  await expect
    .poll(async () => {
      const latest = inputs.at(-1);
      if (!latest || !expected(latest)) return false;
      const { shown, answered } = await shownAndAnswered(page, inputs);
      return JSON.stringify(shown) === JSON.stringify(answered);
    })
    .toBe(true);
  return (await shownAndAnswered(page, inputs)).answer;
}

it('Retention: the triangle by day over a week shows the API answer to the page request, follows the return event and filters, and downloads as shown', async () => {
  const page = await dashboard.browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const inputs = recordInputs(page);
  await page.goto(`${dashboard.server.url}/?key=${dashboard.tenant.keys.read}#/retention`);
  await page.getByTestId('retention-table').waitFor();

  await page.getByTestId('retention-period').getByText('By day', { exact: true }).click();
  await page.getByTestId('range-preset').getByText('7 d', { exact: true }).click();
  const byDay = await waitForAnswerShown(page, inputs, (input) => input.period === 'day' && input.returnEvent === undefined);
  const sent = inputs.at(-1)!;
  expect(Date.parse(sent.to) - Date.parse(sent.from)).toBe(7 * DAY_MS);
  expect(sent.timeZone).toBe(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone));
  // Numbers worth comparing: every visitor in a cohort, and some cohorts partly back on later days.
  expect(byDay.periods.reduce((sum, cohort) => sum + cohort.size, 0)).toBe(VISITS.length);
  expect(byDay.periods.some((cohort) => cohort.values.slice(1).some((cell) => cell.percent > 0 && cell.percent < 1))).toBe(true);

  // The count behind a share shows on hover.
  const row = byDay.periods.findIndex((cohort) => (cohort.values[1]?.returned ?? 0) > 0);
  const cohort = byDay.periods[row]!;
  await page.getByTestId(`retention-cell-${row}-1`).hover();
  await page.getByText(`${formatCount(cohort.values[1]!.returned)} of ${formatCount(cohort.size)} visitors came back in day 1`).waitFor();

  // Coming back now means purchasing: fewer come back, as the API counts it for the new request.
  await page.getByTestId('retention-return-event-name').fill('purchase');
  await page.getByTestId('retention-return-event-name').press('Escape');
  const byPurchase = await waitForAnswerShown(
    page,
    inputs,
    (input) => input.period === 'day' && input.returnEvent?.kind === 'event' && input.returnEvent.name === 'purchase',
  );
  expect(byPurchase.periods.map((cohort) => cohort.values)).not.toEqual(byDay.periods.map((cohort) => cohort.values));
  expect(byPurchase.periods.flatMap((cohort) => cohort.values.slice(1)).some((cell) => cell.returned > 0)).toBe(true);

  // The download asks the same question, and holds the table: the start, the size, the shares as fractions.
  const csvHref = new URL((await page.getByTestId('retention-csv').getAttribute('href'))!, dashboard.server.url);
  expect(csvHref.pathname).toBe('/api/csv/analytics.retention');
  expect(JSON.parse(csvHref.searchParams.get('input')!)).toEqual(inputs.at(-1));
  const [header, ...records] = await downloadedRows(page, 'retention-csv');
  const offsets = byPurchase.periods.map((_, offset) => offset);
  expect(header).toEqual(['start', 'size', ...offsets.map((offset) => `period ${offset}`)]);
  expect(records).toEqual(
    byPurchase.periods.map((cohort) => [cohort.start, String(cohort.size), ...offsets.map((offset) => String(cohort.values[offset]?.percent ?? ''))]),
  );
  const { shown } = await shownAndAnswered(page, inputs);
  const fromCsv = records.flatMap((record, row) =>
    record
      .slice(2)
      .flatMap((share, offset) => (share === '' ? [] : [[`retention-cell-${row}-${offset}`, retentionCellText(Number(record[1]), Number(share))]])),
  );
  expect(fromCsv).toEqual(shown.cells);
  await dashboard.screenshot(page, 'retention');

  // A filter on the whole question: only page views of /home count, so nobody comes back by purchasing (a
  // purchase has no page), while every visitor still has a cohort.
  // The filter bar's own: each step's event picker has one too.
  await page.getByTestId('filter-bar').getByTestId('add-filter').click();
  const form = page.getByTestId('add-filter-form');
  await form.getByTestId('filter-field').click();
  await form.getByRole('option', { name: 'Page', exact: true }).click();
  await form.getByTestId('filter-value').fill('/home');
  // Enter, as a keyboard user applies it: the value's suggestions cover the Apply button.
  await form.getByTestId('filter-value').press('Enter');
  await page.getByTestId('filter-chip').filter({ hasText: 'Page is /home' }).waitFor();
  const onHome = await waitForAnswerShown(page, inputs, (input) => input.filters?.[0]?.field === 'path' && input.returnEvent?.kind === 'event');
  expect(inputs.at(-1)!.filters).toEqual([{ field: 'path', operator: 'is', value: '/home' }]);
  expect(onHome.periods.reduce((sum, cohort) => sum + cohort.size, 0)).toBe(VISITS.length);
  expect(onHome.periods.flatMap((cohort) => cohort.values.slice(1)).every((cell) => cell.returned === 0)).toBe(true);
  await page.getByRole('button', { name: 'Remove filter Page is /home' }).click();
  await waitForAnswerShown(page, inputs, (input) => input.filters === undefined && input.returnEvent?.kind === 'event');

  // A range with too many days for day cohorts: the refusal is told where the table was, the controls stay.
  await page.getByTestId('range-preset').getByText('90 d', { exact: true }).click();
  const refusal = page.getByTestId('retention-result').getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.innerText()).toContain(`the limit is ${MAX_COHORTS}`);
  expect(await page.getByTestId('retention-table').count()).toBe(0);
  await page.getByTestId('retention-period').getByText('By week', { exact: true }).click();
  await waitForAnswerShown(page, inputs, (input) => input.period === 'week' && Date.parse(input.to) - Date.parse(input.from) === 90 * DAY_MS);
  await page.close();
});
