import { describe, expect, it } from 'vitest';
import { MAX_WEBHOOK_ATTEMPTS, nextAttemptDelayMs, WEBHOOK_RETRY_DELAYS_MS } from './webhook-backoff.ts';

describe('nextAttemptDelayMs', () => {
  it('waits 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, then 4 h', () => {
    const minutes = Array.from({ length: MAX_WEBHOOK_ATTEMPTS }, (_, index) => nextAttemptDelayMs(index + 1) / 60_000);
    expect(minutes).toEqual([1 / 6, 0.5, 2, 10, 30, 60, 120, 240]);
  });

  it('stays at the last step past the schedule', () => {
    expect(nextAttemptDelayMs(20)).toBe(WEBHOOK_RETRY_DELAYS_MS.at(-1));
  });

  it('with jitter, waits anywhere from nothing up to the scheduled time', () => {
    expect(nextAttemptDelayMs(3, { jitter: true, random: () => 0 })).toBe(0);
    expect(nextAttemptDelayMs(3, { jitter: true, random: () => 0.5 })).toBe(60_000);
    expect(nextAttemptDelayMs(3, { jitter: true, random: () => 0.999999 })).toBeLessThan(120_000);
  });

  it('counts attempts from 1', () => {
    expect(() => nextAttemptDelayMs(0)).toThrow('attempts are counted from 1, not 0');
  });
});
