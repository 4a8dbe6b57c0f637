import { describe, expect, it } from 'vitest';
import { TurnScheduler, type ScheduledWork } from './turn-scheduler.ts';

/** A clock that moves only when the work says it spent time. */
function fakeClock() {
  let now = 0;
  return { now: () => now, spend: (ms: number) => (now += ms) };
}

/** Work of `steps` steps of 1 ms each, logging each step under `name`. */
async function steps(scheduled: ScheduledWork, clock: ReturnType<typeof fakeClock>, name: string, count: number, log: string[]) {
  for (let i = 0; i < count; i += 1) {
    const pause = scheduled.pauseIfDue();
    if (pause) await pause;
    log.push(name);
    clock.spend(1);
  }
  return name;
}

describe('TurnScheduler', () => {
  it('runs queued work oldest first, each piece to its end before the next starts', async () => {
    const clock = fakeClock();
    const scheduler = new TurnScheduler({ budgetMs: 2, freeTurns: () => 0, now: clock.now });
    const log: string[] = [];
    const results = await Promise.all(['a', 'b', 'c'].map((name) => scheduler.run((scheduled) => steps(scheduled, clock, name, 5, log))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log.join('')).toBe('aaaaabbbbbccccc');
  });

  it('gives work at most its budget per turn, then leaves the loop its free iterations for I/O', async () => {
    const clock = fakeClock();
    const scheduler = new TurnScheduler({ budgetMs: 3, freeTurns: () => 4, now: clock.now });
    const log: string[] = [];
    // Something else on the loop: one mark per loop iteration (each immediate runs in the next iteration).
    let marking = true;
    const mark = () => {
      if (!marking) return;
      log.push('.');
      setImmediate(mark);
    };
    setImmediate(mark);
    await scheduler.run((scheduled) => steps(scheduled, clock, 'w', 9, log));
    marking = false;
    // Three 1 ms steps per turn; between turns the loop went round at least the four free iterations.
    const turns = log.join('').replace(/^\.+/, '').split(/\.+/).filter(Boolean);
    expect(turns).toEqual(['www', 'www', 'www']);
    const gaps = log
      .join('')
      .replace(/^\.+/, '')
      .match(/\.+/g)!
      .map((dots) => dots.length);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(4);
  });

  it('hands the turn on when work throws, and the error reaches its caller', async () => {
    const clock = fakeClock();
    const scheduler = new TurnScheduler({ budgetMs: 2, freeTurns: () => 1, now: clock.now });
    const failing = scheduler.run(() => {
      throw new Error('bad batch');
    });
    const next = scheduler.run(() => 'next');
    await expect(failing).rejects.toThrow('bad batch');
    await expect(next).resolves.toBe('next');
  });
});
