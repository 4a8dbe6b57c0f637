import { describe, expect, it } from 'vitest';
import { minuteRollupCutoff, minuteRollupsFrom, splitIntoSegments, wholeDays } from './time-segments.ts';

const at = (iso: string) => new Date(iso);
const show = (segments: ReturnType<typeof splitIntoSegments>) =>
  segments.map(({ source, from, to }) => `${source} ${from.toISOString().slice(0, 19)} ${to.toISOString().slice(0, 19)}`);

describe('splitIntoSegments', () => {
  it('uses whole days, then hours, quarter-hours, minutes and raw events at the ragged edges', () => {
    expect(show(splitIntoSegments(at('2026-11-01T10:14:30Z'), at('2026-11-04T05:20:10Z')))).toEqual([
      'raw 2026-11-01T10:14:30 2026-11-01T10:15:00',
      'quarter 2026-11-01T10:15:00 2026-11-01T11:00:00',
      'hour 2026-11-01T11:00:00 2026-11-02T00:00:00',
      'day 2026-11-02T00:00:00 2026-11-04T00:00:00',
      'hour 2026-11-04T00:00:00 2026-11-04T05:00:00',
      'quarter 2026-11-04T05:00:00 2026-11-04T05:15:00',
      'minute 2026-11-04T05:15:00 2026-11-04T05:20:00',
      'raw 2026-11-04T05:20:00 2026-11-04T05:20:10',
    ]);
  });

  it('counts minutes no longer kept from raw events, recent ones from the minute rollup', () => {
    const minutesFrom = at('2026-11-04T05:00:00Z');
    // Minutes only at the recent end: the same pieces as without a window.
    const [from, to] = [at('2026-11-01T10:14:30Z'), at('2026-11-04T05:20:10Z')];
    expect(splitIntoSegments(from, to, { minutesFrom })).toEqual(splitIntoSegments(from, to));
    expect(show(splitIntoSegments(at('2026-11-01T10:07:30Z'), at('2026-11-01T12:05:00Z'), { minutesFrom }))).toEqual([
      'raw 2026-11-01T10:07:30 2026-11-01T10:15:00',
      'quarter 2026-11-01T10:15:00 2026-11-01T11:00:00',
      'hour 2026-11-01T11:00:00 2026-11-01T12:00:00',
      'raw 2026-11-01T12:00:00 2026-11-01T12:05:00',
    ]);
    // A minute series across the window's start: minutes before it from raw events, the rest from the rollup.
    expect(show(splitIntoSegments(at('2026-11-04T04:50:00Z'), at('2026-11-04T05:10:00Z'), { coarsest: 'minute', minutesFrom }))).toEqual([
      'raw 2026-11-04T04:50:00 2026-11-04T05:00:00',
      'minute 2026-11-04T05:00:00 2026-11-04T05:10:00',
    ]);
  });

  it('keeps minute rollups two days, and reads them from an hour after the deletion cutoff', () => {
    const now = at('2026-11-04T05:20:10Z');
    expect(minuteRollupCutoff(now)).toEqual(at('2026-11-02T05:00:00Z'));
    expect(minuteRollupsFrom(now)).toEqual(at('2026-11-02T06:00:00Z'));
  });

  it('leaves sub-hour edges to raw events when hours are the finest rollup (unique counts)', () => {
    expect(show(splitIntoSegments(at('2026-11-01T10:15:30Z'), at('2026-11-04T05:20:10Z'), { finest: 'hour' }))).toEqual([
      'raw 2026-11-01T10:15:30 2026-11-01T11:00:00',
      'hour 2026-11-01T11:00:00 2026-11-02T00:00:00',
      'day 2026-11-02T00:00:00 2026-11-04T00:00:00',
      'hour 2026-11-04T00:00:00 2026-11-04T05:00:00',
      'raw 2026-11-04T05:00:00 2026-11-04T05:20:10',
    ]);
  });

  it('covers the range exactly once, without gaps or overlaps', () => {
    const from = at('2026-10-31T23:59:59.500Z');
    const to = at('2026-11-30T00:00:00.250Z');
    const segments = splitIntoSegments(from, to);
    expect(segments[0]!.from).toEqual(from);
    expect(segments.at(-1)!.to).toEqual(to);
    for (let i = 1; i < segments.length; i += 1) expect(segments[i]!.from).toEqual(segments[i - 1]!.to);
  });

  it('keeps an aligned range to one rollup', () => {
    expect(show(splitIntoSegments(at('2026-11-01T00:00:00Z'), at('2026-11-08T00:00:00Z')))).toEqual(['day 2026-11-01T00:00:00 2026-11-08T00:00:00']);
  });

  it('respects the coarsest rollup allowed', () => {
    expect(show(splitIntoSegments(at('2026-11-01T00:00:00Z'), at('2026-11-03T00:00:00Z'), { coarsest: 'hour' }))).toEqual([
      'hour 2026-11-01T00:00:00 2026-11-03T00:00:00',
    ]);
  });
});

describe('wholeDays', () => {
  it('finds the whole UTC days inside a range, or none', () => {
    expect(wholeDays(at('2026-11-01T10:00:00Z'), at('2026-11-04T05:00:00Z'))).toEqual({
      from: at('2026-11-02T00:00:00Z'),
      to: at('2026-11-04T00:00:00Z'),
    });
    expect(wholeDays(at('2026-11-01T10:00:00Z'), at('2026-11-02T05:00:00Z'))).toBeNull();
  });
});
