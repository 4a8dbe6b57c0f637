import { describe, expect, it } from 'vitest';
import { fitGranularityChoice, fittingGranularities, resolveGranularity } from './granularity-options.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('granularities offered for a range', () => {
  it('fit each preset: minutes within a day, hours up to about a month, weeks and months only when two fit', () => {
    expect(fittingGranularities(DAY)).toEqual(['minute', 'hour']);
    expect(fittingGranularities(7 * DAY)).toEqual(['hour', 'day']);
    expect(fittingGranularities(30 * DAY)).toEqual(['hour', 'day', 'week']);
    expect(fittingGranularities(90 * DAY)).toEqual(['day', 'week', 'month']);
    expect(fittingGranularities(400 * DAY)).toEqual(['day', 'week', 'month']);
  });

  it('allow for a day an hour short or long when the clocks change', () => {
    // Two whole local days across the spring change are 47 hours; one across the autumn change, 25.
    expect(fittingGranularities(2 * DAY - HOUR)).toContain('day');
    expect(fittingGranularities(DAY + HOUR)).toContain('minute');
    expect(fittingGranularities(DAY + 2 * HOUR)).not.toContain('minute');
  });

  it('give a range of a minute (just after midnight, "Today") minutes rather than nothing', () => {
    expect(fittingGranularities(MINUTE)).toEqual(['minute']);
    expect(fittingGranularities(90 * MINUTE)).toEqual(['minute']);
  });
});

describe('a granularity that no longer fits', () => {
  it('stays while it fits, and moves to the nearest that does when the range changes', () => {
    expect(fitGranularityChoice('hour', 7 * DAY)).toBe('hour');
    expect(fitGranularityChoice('hour', 90 * DAY)).toBe('day');
    expect(fitGranularityChoice('minute', 30 * DAY)).toBe('hour');
    expect(fitGranularityChoice('month', 7 * DAY)).toBe('day');
    expect(fitGranularityChoice('week', DAY)).toBe('hour');
    expect(fitGranularityChoice('auto', 400 * DAY)).toBe('auto');
  });

  it('never asks the API for one the range cannot be charted by', () => {
    for (const rangeMs of [MINUTE, 3 * HOUR, DAY, 7 * DAY, 30 * DAY, 90 * DAY, 400 * DAY]) {
      for (const choice of ['auto', 'minute', 'hour', 'day', 'week', 'month'] as const) {
        expect(fittingGranularities(rangeMs)).toContain(resolveGranularity(choice, rangeMs));
      }
    }
  });

  it('"Auto" is hours for a day, days for a week to a quarter, weeks beyond', () => {
    expect(resolveGranularity('auto', DAY)).toBe('hour');
    expect(resolveGranularity('auto', 7 * DAY)).toBe('day');
    expect(resolveGranularity('auto', 90 * DAY)).toBe('day');
    expect(resolveGranularity('auto', 400 * DAY)).toBe('week');
  });
});
