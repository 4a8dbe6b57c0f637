import { describe, expect, it } from 'vitest';
import { formatTimeSpan } from './time-span.ts';

describe('a span of time', () => {
  it.each([
    [0, '0 s'],
    [0.3, '< 1 s'],
    [0.5, '1 s'],
    [42, '42 s'],
    [59.4, '59 s'],
    [59.6, '1 min'],
    [180, '3 min'],
    [209, '3 min'],
    [211, '4 min'],
    [3_570, '1 h'],
    [3_600, '1 h'],
    [3_900, '1 h 5 min'],
    [7_200, '2 h'],
    [86_370, '1 d'],
    [86_400 + 3 * 3_600, '1 d 3 h'],
    [7 * 86_400, '7 d'],
    [30 * 86_400 + 1_799, '30 d'],
  ])('of %s seconds reads "%s"', (seconds, expected) => {
    expect(formatTimeSpan(seconds)).toBe(expected);
  });
});
