import { expect, it } from 'vitest';
import { percentileRatio } from './percentile-ratio.ts';

/** 30 timings around `ms`, with the spread of one busy machine's runs, and (if asked) one run twice as slow. */
const timings = (ms: number, seed: number, slowRun = false) =>
  Array.from({ length: 30 }, (_, i) => ms * (1 + 0.2 * Math.sin(seed + i * 7.1)) + (slowRun && i === 17 ? ms : 0));

/** The same draws on every run (mulberry32), so the intervals below never depend on luck. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

it('gives an interval that holds 1 when both sides are the same code', () => {
  const { ratio, low, high } = percentileRatio(timings(50, 1, true), timings(50, 2), 95, 0.9, seeded(7));
  expect(low).toBeLessThan(1);
  expect(high).toBeGreaterThan(1);
  expect(ratio).toBeGreaterThanOrEqual(low);
  expect(ratio).toBeLessThanOrEqual(high);
});

it('puts the whole interval above 1.1 when every run of the head is half as slow again', () => {
  const base = timings(50, 1);
  const { ratio, low } = percentileRatio(
    base.map((ms) => ms * 1.5),
    base,
    95,
    0.9,
    seeded(7),
  );
  expect(ratio).toBeCloseTo(1.5, 5);
  expect(low).toBeGreaterThan(1.1);
});
