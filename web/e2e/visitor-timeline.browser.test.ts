import { describe, expect, it } from 'vitest';
import type { TTimelineResponse } from '@pulse/shared/timeline';
import { bearer, callTrpc } from '../../backend/src/test/trpc-http.ts';
import { useDashboard } from './dashboard-harness.ts';

const dashboard = useDashboard('browser-timeline');
const MINUTE_MS = 60_000;

describe('Visitor timeline', () => {
  it('opens from an event of the log and shows that visitor’s events, with their anonymous history, as the API gives them', async () => {
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MINUTE_MS).toISOString();
    await dashboard.runtime.services.eventIngest.ingest(dashboard.tenant, {
      batch: [
        // Before signing up: anonymous only.
        { type: 'page', anonymousId: 'anon-lin', messageId: 'tl-1', timestamp: at(50), context: { page: { path: '/pricing' } } },
        { type: 'page', anonymousId: 'anon-lin', messageId: 'tl-2', timestamp: at(40), context: { page: { path: '/signup' } } },
        // Signed up: the user id with the same anonymous id links the two.
        { type: 'track', event: 'signup', userId: 'lin', anonymousId: 'anon-lin', messageId: 'tl-3', timestamp: at(30) },
        { type: 'track', event: 'purchase', userId: 'lin', messageId: 'tl-4', timestamp: at(20), properties: { amount: 42 } },
        // Someone else.
        { type: 'track', event: 'purchase', userId: 'mo', messageId: 'tl-5', timestamp: at(10) },
      ],
    });
    const page = await dashboard.openPage('events');
    await page.getByTestId('events-row-tl-4').click();
    await page.getByTestId('event-drawer-timeline').click();
    await page.getByTestId('timeline-table').waitFor();

    const api = await callTrpc(dashboard.server.url, 'events.timeline', 'query', { visitorId: 'lin' }, bearer(dashboard.tenant.keys.read));
    const answer = api.data as TTimelineResponse;
    expect(answer.events.map((event) => event.messageId)).toEqual(['tl-4', 'tl-3', 'tl-2', 'tl-1']);
    const shown = await page.locator('[data-testid^="timeline-row-"]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid')));
    expect(shown).toEqual(answer.events.map((event) => `timeline-row-${event.messageId}`));
    expect(await page.getByTestId('timeline-count').innerText()).toContain(String(answer.visitor!.eventCount));
    expect(await page.getByTestId('timeline-linked').innerText()).toContain('anon-lin');

    // The address names the visitor: a reload shows the same timeline.
    await page.reload();
    await page.getByTestId('timeline-row-tl-1').waitFor();
    expect(await page.getByTestId('timeline-visitor-input').inputValue()).toBe('lin');
  });
});
