import { describe, expect, it } from 'vitest';
import { bucketLabeller } from './bucket-labels.ts';

describe('bucket labels', () => {
  it("name a day by the series' time zone, not the browser's", () => {
    // Tokyo's 1 December starts at 15:00 UTC on 30 November.
    const series = { granularity: 'day' as const, timeZone: 'Asia/Tokyo', points: [{ bucket: '2026-11-30T15:00:00.000Z', count: 1 }] };
    expect(bucketLabeller(series, 'en-US')('2026-11-30T15:00:00.000Z')).toBe('Dec 1');
  });

  it('give hours their date once the series spans more than a day, and only their time otherwise', () => {
    const points = [
      { bucket: '2026-12-01T00:00:00.000Z', count: 1 },
      { bucket: '2026-12-02T05:00:00.000Z', count: 1 },
    ];
    expect(bucketLabeller({ granularity: 'hour', timeZone: 'UTC', points }, 'en-US')('2026-12-02T05:00:00.000Z')).toBe('Dec 2, 05:00 AM');
    expect(bucketLabeller({ granularity: 'hour', timeZone: 'UTC', points: points.slice(0, 1) }, 'en-US')('2026-12-01T00:00:00.000Z')).toBe('12:00 AM');
  });

  it('name months with their year', () => {
    expect(bucketLabeller({ granularity: 'month', timeZone: 'UTC', points: [] }, 'en-US')('2026-11-01T00:00:00.000Z')).toBe('Nov 2026');
  });
});
