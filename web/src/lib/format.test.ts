import { describe, expect, it } from 'vitest';
import { formatTimeAgo } from './format.ts';

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
