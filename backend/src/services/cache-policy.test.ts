import { describe, expect, it } from 'vitest';
import { cacheTierFor, dayTags, dayTagsOf } from './cache-policy.ts';

describe('dayTags', () => {
  it('tags every UTC day the half-open range overlaps, and no other', () => {
    expect(dayTags(new Date('2026-11-01T22:00:00Z'), new Date('2026-11-03T00:00:00Z'))).toEqual(['day:2026-11-01', 'day:2026-11-02']);
    expect(dayTags(new Date('2026-11-01T22:00:00Z'), new Date('2026-11-03T00:00:00.001Z'))).toEqual(['day:2026-11-01', 'day:2026-11-02', 'day:2026-11-03']);
  });

  it('gives a commit the tags of the days its events fall on', () => {
    expect(dayTagsOf([new Date('2026-11-02T23:59:59Z'), new Date('2026-11-02T00:00:00Z'), new Date('2026-11-03T00:00:00Z')])).toEqual([
      'day:2026-11-02',
      'day:2026-11-03',
    ]);
  });
});

describe('cacheTierFor', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  it('follows the age of the end of the range', () => {
    expect(cacheTierFor(new Date(now), now)).toBe('live');
    expect(cacheTierFor(new Date(now - 30 * 60_000), now)).toBe('live');
    expect(cacheTierFor(new Date(now - 2 * 3_600_000), now)).toBe('recent');
    expect(cacheTierFor(new Date(now - 8 * 86_400_000), now)).toBe('archive');
  });
});
