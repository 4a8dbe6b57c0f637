import { describe, expect, it } from 'vitest';
import { useDashboard } from './dashboard-harness.ts';

const dashboard = useDashboard('browser-events');

describe('Events', () => {
  it('lists stored events, filters them, and shows one in full', async () => {
    await dashboard.runtime.services.eventIngest.ingest(dashboard.tenant, {
      batch: [
        { type: 'track', event: 'plan_upgraded', userId: 'ada', messageId: 'events-page-1', properties: { plan: 'enterprise', seats: 42 } },
        { type: 'page', userId: 'grace', messageId: 'events-page-2', context: { page: { path: '/pricing' } } },
      ],
    });
    const page = await dashboard.openPage('events');
    await page.getByTestId('events-row-events-page-1').waitFor();
    await page.getByTestId('events-row-events-page-2').waitFor();

    await page.getByTestId('events-filter-userId').fill('ada');
    await page.getByTestId('events-row-events-page-2').waitFor({ state: 'detached' });
    await page.getByTestId('events-row-events-page-1').waitFor();
    await page.locator('[data-testid="events-total"]', { hasText: /^1 event$/ }).waitFor();

    await page.getByTestId('events-row-events-page-1').click();
    const json = JSON.parse(await page.getByTestId('event-drawer-json').innerText()) as { messageId: string; properties: unknown };
    expect(json).toMatchObject({ messageId: 'events-page-1', properties: { plan: 'enterprise', seats: 42 } });
    await dashboard.screenshot(page, 'events');
  });
});

async function storedCount(): Promise<number> {
  const { rows } = await dashboard.runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1', [dashboard.tenant.id]);
  return rows[0]!.n;
}

describe('Generator', () => {
  it('sends every batch, shows the progress reach 100% and a tally that matches what was stored; its events appear in Live and Events', async () => {
    const live = await dashboard.openPage('live');
    await live.locator('[data-testid="live-connection"][data-state="connected"]').waitFor();
    const page = await dashboard.openPage('generator', dashboard.tenant.keys.admin);
    await page.getByTestId('generator-batches').fill('5');
    await page.getByTestId('generator-batchSize').fill('20');
    await page.getByTestId('generator-rate').fill('20');
    await page.getByTestId('generator-send').click();
    await page.locator('[data-testid="generator-status"]', { hasText: 'Done' }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('generator-percent').innerText()).toBe('100%');
    expect(await page.getByTestId('generator-accepted').innerText()).toBe('100');
    expect(await page.getByTestId('generator-duplicates').innerText()).toBe('0');

    const { rows } = await dashboard.runtime.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND message_id NOT LIKE $2',
      [dashboard.tenant.id, 'events-page-%'],
    );
    expect(rows[0]!.n).toBe(100);
    await dashboard.screenshot(page, 'generator');

    // A generated event, as the Live page received it…
    const liveRows = live.locator('[data-testid^="live-event-"]');
    await liveRows.first().waitFor();
    const generatedId = (await liveRows.first().getAttribute('data-testid'))!.replace('live-event-', '');

    // The generated events are in the log: a full first page, then the rest with "Load more".
    const log = await dashboard.openPage('events');
    const logRows = log.locator('[data-testid^="events-row-"]');
    await logRows.first().waitFor();
    expect(await logRows.count()).toBe(50);
    // The total counts every stored event of the tenant, not just the page.
    await log.locator('[data-testid="events-total"]', { hasText: `Showing 50 of ${await storedCount()} events` }).waitFor();
    await log.getByTestId('events-load-more').click();
    await log.waitForFunction(() => document.querySelectorAll('[data-testid^="events-row-"]').length === 100);
    // …is also in the event log.
    expect(await log.getByTestId(`events-row-${generatedId}`).count()).toBe(1);
  });

  it('keeps a run going, with its tally and Cancel, when you leave the page and come back', async () => {
    const storedBefore = await storedCount();
    const page = await dashboard.openPage('generator', dashboard.tenant.keys.admin);
    await page.getByTestId('generator-batches').fill('200');
    await page.getByTestId('generator-batchSize').fill('1');
    await page.getByTestId('generator-rate').fill('4');
    await page.getByTestId('generator-send').click();
    await page.locator('[data-testid="generator-status"]', { hasText: 'batch 2 of 200' }).waitFor();

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByTestId('generator-status').waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Generator' }).click();
    // Still sending, and still counting: the tally goes on from where it was.
    await page.locator('[data-testid="generator-status"]', { hasText: /batch ([3-9]|\d\d) of 200/ }).waitFor();
    await page.getByTestId('generator-cancel').click();
    await page.locator('[data-testid="generator-status"]', { hasText: 'Cancelled' }).waitFor();

    const accepted = Number((await page.getByTestId('generator-accepted').innerText()).replace(/,/g, ''));
    // Exactly the events this run's tally says were accepted, once the last one in flight has landed.
    await expect.poll(storedCount).toBe(storedBefore + accepted);
  });

  it('asks a read-only session for an ingest key instead of failing', async () => {
    const page = await dashboard.openPage('generator');
    await page.getByTestId('generator-ingest-key').waitFor();
    expect(await page.getByTestId('generator-send').isDisabled()).toBe(true);
  });
});
