import { describe, expect, it } from 'vitest';
import { generateDemoEvents } from './demo-events.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const options = { tenantId: 1, tenantSlug: 'acme', users: 10, events: 5_000, days: 30, now: NOW, seed: 1 };

describe('generateDemoEvents', () => {
  const events = generateDemoEvents(options);

  it('makes the number of events asked for, with unique message ids', () => {
    expect(events).toHaveLength(5_000);
    expect(new Set(events.map((event) => event.messageId)).size).toBe(5_000);
  });

  it('spreads them over the last 30 days, none in the future', () => {
    const times = events.map((event) => event.ts.getTime());
    expect(Math.max(...times)).toBeLessThan(NOW.getTime());
    expect(Math.min(...times)).toBeGreaterThan(NOW.getTime() - 31 * 86_400_000);
    expect(Math.min(...times)).toBeLessThan(NOW.getTime() - 25 * 86_400_000);
  });

  it('uses the requested users and a realistic mix with page views first', () => {
    expect(new Set(events.map((event) => event.userId)).size).toBe(10);
    const counts = new Map<string, number>();
    for (const event of events) counts.set(event.name, (counts.get(event.name) ?? 0) + 1);
    const [topName] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    expect(topName).toBe('page_view');
    expect(counts.get('purchase')).toBeGreaterThan(0);
  });

  it('is reproducible: the same seed gives the same events', () => {
    expect(generateDemoEvents(options)).toEqual(events);
  });
});
