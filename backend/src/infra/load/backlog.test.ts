import { afterEach, describe, expect, it } from 'vitest';
import { Backlog } from './backlog.ts';

let backlog: Backlog | undefined;
afterEach(() => backlog?.stop());

/** A backlog on a clock the test moves. */
function backlogAt(maxWaitMs: number) {
  const clock = { ms: 0 };
  backlog = new Backlog({ maxWaitMs, sampleIntervalMs: 60_000, now: () => clock.ms });
  return { backlog, clock };
}

describe('Backlog', () => {
  it('takes everything until it knows how fast work gets done', () => {
    const { backlog } = backlogAt(100);
    for (let i = 0; i < 50; i += 1) expect(backlog.tryAdd(1_000)).toBe(true);
    expect(backlog.estimatedWaitMs()).toBe(0);
  });

  it('refuses work that would wait past the bound, and takes it again as the backlog drains', () => {
    const { backlog, clock } = backlogAt(1_000);
    // 10 units done per ms of busy time.
    expect(backlog.tryAdd(5_000)).toBe(true);
    clock.ms += 500;
    backlog.done(5_000);
    backlog.measure();
    expect(backlog.tryAdd(6_000)).toBe(true);
    expect(backlog.tryAdd(3_000)).toBe(true);
    expect(backlog.estimatedWaitMs()).toBe(900);
    // 900 ms pending: 2,000 more would wait 1,100 ms.
    expect(backlog.tryAdd(2_000)).toBe(false);
    expect(backlog.tryAdd(1_000)).toBe(true);
    backlog.done(6_000);
    expect(backlog.tryAdd(2_000)).toBe(true);
  });

  it('measures the rate over busy time only: a quiet instance is not a slow one', () => {
    const { backlog, clock } = backlogAt(1_000);
    backlog.tryAdd(100);
    clock.ms += 10;
    backlog.done(100);
    // A long quiet spell before the next measurement.
    clock.ms += 10_000;
    backlog.measure();
    expect(backlog.tryAdd(100)).toBe(true);
    expect(backlog.estimatedWaitMs()).toBe(10);
  });

  it('always takes a small backlog, however slow the work measured so far', () => {
    const clock = { ms: 0 };
    backlog = new Backlog({ maxWaitMs: 10, minPendingUnits: 5_000, sampleIntervalMs: 60_000, now: () => clock.ms });
    backlog.tryAdd(1_000);
    clock.ms += 1_000;
    backlog.done(1_000);
    backlog.measure();
    for (let i = 0; i < 5; i += 1) expect(backlog.tryAdd(1_000)).toBe(true);
    expect(backlog.tryAdd(1_000)).toBe(false);
  });

  it('always takes work when nothing is pending, however slow the last work was', () => {
    const { backlog, clock } = backlogAt(10);
    backlog.tryAdd(1_000);
    clock.ms += 10_000;
    backlog.done(1_000);
    backlog.measure();
    expect(backlog.tryAdd(1_000_000)).toBe(true);
    expect(backlog.tryAdd(1)).toBe(false);
  });
});
