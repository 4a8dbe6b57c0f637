import { describe, expect, it } from 'vitest';
import { WEEK_MS, anomalyHistoryWindowEnds, detectAnomaly, historyFromRows, type SeriesHistory } from './anomaly-detector.ts';

const HOUR_MS = 3_600_000;
const WINDOW_END = new Date('2026-03-04T15:00:00Z');
const NOISY_500 = [480, 510, 495, 520, 505, 490, 515, 500];

/**
 * Every hour of the past weeks: `weekly[k]` in the week k + 1 weeks back (the same at every hour of that week);
 * the hours just before the judged one: `recent[i]` for the hour i + 1 back, else the latest week's value.
 */
function pastWeeks(weekly: readonly number[], recent: readonly number[] = []): SeriesHistory {
  return {
    valueAt(end) {
      const back = WINDOW_END.getTime() - end.getTime();
      if (back < WEEK_MS / 2) return recent[back / HOUR_MS - 1] ?? weekly[0] ?? null;
      return weekly[Math.round(back / WEEK_MS) - 1] ?? null;
    },
  };
}

const judge = (value: number, history: SeriesHistory) => detectAnomaly({ windowEnd: WINDOW_END, windowMs: HOUR_MS, value }, history);

describe('detectAnomaly', () => {
  it('calls a clear spike high and a clear drop low, with the band around the weeks’ median', () => {
    const spike = judge(1_500, pastWeeks(NOISY_500));
    expect(spike.verdict).toBe('high');
    expect(spike.baseline).toBeCloseTo(502.5, 0);
    expect(spike.lower).toBeLessThan(spike.baseline);
    expect(spike.upper).toBeGreaterThan(spike.baseline);
    expect(spike.upper).toBeLessThan(1_500);
    expect(spike.score).toBeGreaterThan(4.5);

    const drop = judge(150, pastWeeks(NOISY_500));
    expect(drop.verdict).toBe('low');
    expect(drop.lower).toBeGreaterThan(150);
    expect(drop.score).toBeLessThan(-4.5);
  });

  it('calls ordinary noise normal, however the weeks before varied', () => {
    for (const value of [440, 470, 500, 540, 580]) expect(judge(value, pastWeeks(NOISY_500)).verdict).toBe('normal');
    // One week's incident in the history does not move the median.
    expect(judge(500, pastWeeks([480, 2_000, 495, 520, 0, 490, 515, 500])).verdict).toBe('normal');
  });

  it('says insufficient with fewer than four weeks of history, or none', () => {
    expect(judge(5_000, pastWeeks([500, 510, 490])).verdict).toBe('insufficient');
    expect(judge(500, pastWeeks([]))).toEqual({ verdict: 'insufficient', baseline: 0, lower: 0, upper: 0, score: 0 });
  });

  it('does not fire on small counts moving by three', () => {
    for (const value of [17, 20, 23]) expect(judge(value, pastWeeks([19, 21, 20, 22, 18, 20, 21, 20])).verdict).toBe('normal');
    // Three an hour is under the minimum volume, even two hours together: no verdict either way...
    for (const value of [0, 6]) expect(judge(value, pastWeeks([3, 2, 4, 3, 3, 2, 4, 3])).verdict).toBe('insufficient');
    // ...unless the count rises far past it.
    expect(judge(60, pastWeeks([3, 2, 4, 3, 3, 2, 4, 3])).verdict).toBe('high');
  });

  it('calls a drop to zero from a modest baseline low', () => {
    expect(judge(0, pastWeeks([12, 11, 13, 12, 12, 14, 10, 12])).verdict).toBe('low');
  });

  it('catches a sustained drop over two windows that one window alone cannot tell from noise', () => {
    const weeks = [40, 40, 40, 40, 40, 40, 40, 40];
    expect(judge(20, pastWeeks(weeks, [40])).verdict).toBe('normal');
    const sustained = judge(20, pastWeeks(weeks, [20]));
    expect(sustained.verdict).toBe('low');
    expect(sustained.lower).toBeGreaterThan(20);
  });

  it('calls a metric stuck at one count low once the run is too long for chance, and not at small volumes', () => {
    expect(judge(490, pastWeeks(NOISY_500, [490])).verdict).toBe('normal');
    expect(judge(490, pastWeeks(NOISY_500, [490, 490])).verdict).toBe('low');
    expect(judge(21, pastWeeks([19, 21, 20, 22, 18, 20, 21, 20], [21, 21])).verdict).toBe('normal');
  });

  it('needs only the windows anomalyHistoryWindowEnds lists, which a caller reads from rollups', () => {
    const window = { windowEnd: WINDOW_END, windowMs: HOUR_MS };
    const full = pastWeeks(NOISY_500, [20, 20]);
    const ends = anomalyHistoryWindowEnds(window);
    expect(ends.every((end, index) => end < WINDOW_END && (index === 0 || ends[index - 1]! < end))).toBe(true);
    expect(ends).toContainEqual(new Date(WINDOW_END.getTime() - 8 * WEEK_MS));
    const rows = ends.map((windowEnd) => ({ windowEnd, value: full.valueAt(windowEnd)! }));
    for (const value of [20, 500, 1_500]) expect(judge(value, historyFromRows(rows))).toEqual(judge(value, full));
  });

  it('compares a daily window with the same weekday of past weeks', () => {
    const windowEnd = new Date('2026-03-05T00:00:00Z');
    const seasonal = anomalyHistoryWindowEnds({ windowEnd, windowMs: 24 * HOUR_MS }).filter((end) => windowEnd.getTime() - end.getTime() >= WEEK_MS);
    expect(seasonal.length).toBeGreaterThanOrEqual(8);
    expect(new Set(seasonal.map((end) => end.getUTCDay())).size).toBeLessThanOrEqual(2);
    expect(seasonal.filter((end) => end.getUTCDay() === windowEnd.getUTCDay())).toHaveLength(8);
  });
});
