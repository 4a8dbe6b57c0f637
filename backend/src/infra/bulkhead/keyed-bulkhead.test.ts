import { describe, expect, it } from 'vitest';
import { BulkheadFullError, KeyedBulkhead } from './keyed-bulkhead.ts';

/** A task that runs until released, so a test decides when units come free. */
function heldTask() {
  let release!: () => void;
  let started = false;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    task: async () => {
      started = true;
      await done;
      return 'done';
    },
    release: () => release(),
    started: () => started,
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedBulkhead', () => {
  it('lets one key hold no more than its share while other keys still run', async () => {
    const bulkhead = new KeyedBulkhead({ perKey: 2, total: 4, maxWaitingPerKey: 0, maxWaitMs: 1_000 });
    const a = [heldTask(), heldTask()];
    const running = a.map((held) => bulkhead.run('a', 1, held.task));
    await expect(bulkhead.run('a', 1, async () => 'third')).rejects.toMatchObject({ name: 'BulkheadFullError', reason: 'queue-full' });
    await expect(bulkhead.run('b', 2, async () => 'b runs')).resolves.toBe('b runs');
    expect(bulkhead.inUse('a')).toBe(2);
    for (const held of a) held.release();
    await Promise.all(running);
    expect(bulkhead.inUse('a')).toBe(0);
  });

  it('counts a call by its weight, at most the share', async () => {
    const bulkhead = new KeyedBulkhead({ perKey: 3, total: 10, maxWaitingPerKey: 0, maxWaitMs: 1_000 });
    const heavy = heldTask();
    const running = bulkhead.run('a', 8, heavy.task);
    expect(bulkhead.inUse('a')).toBe(3);
    await expect(bulkhead.run('a', 1, async () => 'x')).rejects.toBeInstanceOf(BulkheadFullError);
    heavy.release();
    await running;
  });

  it('queues a key past its share briefly, first come first served, and refuses what waits too long', async () => {
    const bulkhead = new KeyedBulkhead({ perKey: 1, total: 4, maxWaitingPerKey: 2, maxWaitMs: 200 });
    const first = heldTask();
    const second = heldTask();
    const running = bulkhead.run('a', 1, first.task);
    const queued = bulkhead.run('a', 1, second.task);
    const third = bulkhead.run('a', 1, async () => 'third');
    await expect(bulkhead.run('a', 1, async () => 'fourth')).rejects.toMatchObject({ reason: 'queue-full' });
    await settle();
    expect(second.started()).toBe(false);
    first.release();
    await running;
    await expect.poll(() => second.started()).toBe(true);
    await expect(third).rejects.toMatchObject({ reason: 'waited-too-long' });
    second.release();
    await expect(queued).resolves.toBe('done');
    expect(bulkhead.inUse('a')).toBe(0);
  });

  it('keeps all keys together under the total', async () => {
    const bulkhead = new KeyedBulkhead({ perKey: 2, total: 3, maxWaitingPerKey: 1, maxWaitMs: 1_000 });
    const held = [heldTask(), heldTask(), heldTask()];
    const running = [bulkhead.run('a', 2, held[0]!.task), bulkhead.run('b', 1, held[1]!.task)];
    const waiting = bulkhead.run('c', 1, held[2]!.task);
    await settle();
    expect(held[2]!.started()).toBe(false);
    held[0]!.release();
    await expect.poll(() => held[2]!.started()).toBe(true);
    for (const each of held) each.release();
    await Promise.all([...running, waiting]);
  });

  it("gives a unit that comes free to the waiting key holding the fewest, ahead of a flooding key's queue", async () => {
    const bulkhead = new KeyedBulkhead({ perKey: 2, total: 2, maxWaitingPerKey: 4, maxWaitMs: 1_000 });
    const floodRunning = [heldTask(), heldTask()];
    const running = floodRunning.map((held) => bulkhead.run('flood', 1, held.task));
    const floodQueued = [heldTask(), heldTask(), heldTask()];
    const queued = floodQueued.map((held) => bulkhead.run('flood', 1, held.task));
    const quiet = heldTask();
    const quietRun = bulkhead.run('quiet', 1, quiet.task);
    floodRunning[0]!.release();
    await expect.poll(() => quiet.started()).toBe(true);
    expect(floodQueued.map((held) => held.started())).toEqual([false, false, false]);
    for (const held of [...floodRunning, ...floodQueued, quiet]) held.release();
    await Promise.all([...running, ...queued, quietRun]);
  });

  it('frees the units of a task that fails', async () => {
    const bulkhead = new KeyedBulkhead({ perKey: 1, total: 1, maxWaitingPerKey: 0, maxWaitMs: 1_000 });
    await expect(bulkhead.run('a', 1, () => Promise.reject(new Error('query failed')))).rejects.toThrow('query failed');
    await expect(bulkhead.run('a', 1, async () => 'again')).resolves.toBe('again');
  });
});
