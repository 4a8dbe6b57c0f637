import { describe, expect, it } from 'vitest';
import { describeShownEvents, formatTimeAgo } from './format.ts';

describe('formatTimeAgo', () => {
  const now = Date.parse('2026-05-01T12:00:00Z');

  it('says how long ago in the largest whole unit', () => {
    expect(formatTimeAgo(now - 12_500, now)).toBe('12 seconds ago');
    expect(formatTimeAgo(now - 3 * 3_600_000 - 59_000, now)).toBe('3 hours ago');
  });

  it('calls an instant under a second old, or ahead of this clock, "just now"', () => {
    expect(formatTimeAgo(now - 400, now)).toBe('just now');
    expect(formatTimeAgo(now + 2_000, now)).toBe('just now');
  });
});

describe('describeShownEvents', () => {
  it('gives the total, and how many of them are shown while more remain', () => {
    expect(describeShownEvents(50, { count: 1_234, atLeast: false })).toBe('Showing 50 of 1,234 events');
    expect(describeShownEvents(3, { count: 3, atLeast: false })).toBe('3 events');
    expect(describeShownEvents(1, { count: 1, atLeast: false })).toBe('1 event');
    expect(describeShownEvents(0, { count: 0, atLeast: false })).toBe('0 events');
  });

  it('says "more than" when the count stopped at its cap', () => {
    expect(describeShownEvents(100, { count: 10_000, atLeast: true })).toBe('Showing 100 of more than 10,000 events');
  });
});
