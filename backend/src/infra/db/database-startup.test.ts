import { describe, expect, it, vi } from 'vitest';
import { DependencyUnavailableError } from '../breakers/breaker-registry.ts';
import { DatabaseStartup } from './database-startup.ts';

const logger = () => ({ warn: vi.fn(), info: vi.fn() });

describe('DatabaseStartup', () => {
  it('retries with a doubling backoff until the database answers, and says what it waits for meanwhile', async () => {
    const log = logger();
    let calls = 0;
    const attemptTimes: number[] = [];
    const startup = new DatabaseStartup(
      async () => {
        attemptTimes.push(Date.now());
        calls += 1;
        if (calls <= 3) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
      { initialDelayMs: 200, maxDelayMs: 400, isFatal: () => false, logger: log },
    );
    startup.start();
    await vi.waitFor(() => expect(log.warn).toHaveBeenCalledTimes(1), { interval: 5 });
    expect(startup.readyNow).toBe(false);
    expect(startup.describe()).toMatch(/^waiting for PostgreSQL since \S+: attempt 1 failed \(connect ECONNREFUSED 127\.0\.0\.1:5432\); next in \d+ s$/);
    expect(() => startup.assertReady('postgres-write')).toThrow(DependencyUnavailableError);

    await startup.ready;
    expect(startup.readyNow).toBe(true);
    expect(startup.describe()).toBe('ok');
    expect(() => startup.assertReady('postgres-write')).not.toThrow();
    expect(log.warn).toHaveBeenCalledTimes(3);
    expect(log.warn.mock.calls.map(([fields]) => fields.retryInMs)).toEqual([200, 400, 400]);
    // The waits between attempts grew (timers may fire late on a loaded machine, never early).
    const gaps = attemptTimes.slice(1).map((time, index) => time - attemptTimes[index]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(190);
    expect(gaps[1]).toBeGreaterThanOrEqual(390);
    expect(log.info).toHaveBeenCalledTimes(1);
  });

  it('gives up on a failure that waiting cannot cure', async () => {
    const broken = new Error('migration 2024_x was changed after it was applied');
    const startup = new DatabaseStartup(() => Promise.reject(broken), {
      initialDelayMs: 10,
      maxDelayMs: 10,
      isFatal: (error) => error === broken,
      logger: logger(),
    });
    startup.start();
    await expect(startup.ready).rejects.toBe(broken);
    expect(startup.readyNow).toBe(false);
  });

  it('stops retrying when stopped', async () => {
    vi.useFakeTimers();
    try {
      const log = logger();
      const startup = new DatabaseStartup(() => Promise.reject(new Error('refused')), {
        initialDelayMs: 10,
        maxDelayMs: 10,
        isFatal: () => false,
        logger: log,
      });
      startup.start();
      await vi.waitFor(() => expect(log.warn).toHaveBeenCalled());
      await startup.stop();
      const attempts = log.warn.mock.calls.length;
      await expect(startup.ready).rejects.toThrow(/stopped/);
      // The clock moves past a hundred retry delays: no attempt follows the stop.
      await vi.advanceTimersByTimeAsync(1_000);
      expect(log.warn.mock.calls.length).toBe(attempts);
    } finally {
      vi.useRealTimers();
    }
  });
});
