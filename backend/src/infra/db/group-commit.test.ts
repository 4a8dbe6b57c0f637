import { describe, expect, it } from 'vitest';
import { GroupCommitter, QueueFullError } from './group-commit.ts';

const options = { maxBatchRows: 100, flushDelayMs: 5, maxQueuedRows: 1_000, maxConcurrentFlushes: 1 };

/** A fake store: remembers keys, returns the new ones, records each write's size. */
function fakeStore(delayMs = 0) {
  const stored = new Set<string>();
  const writes: number[] = [];
  const write = async (rows: string[]) => {
    writes.push(rows.length);
    // A write that takes time, as a real database's would: submissions pile up behind it.
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const fresh = new Set<string>();
    for (const row of rows) {
      if (stored.has(row)) continue;
      fresh.add(row);
      stored.add(row);
    }
    return { stored: fresh, refused: new Map<string, string>() };
  };
  return { stored, writes, write };
}

describe('GroupCommitter', () => {
  it('coalesces concurrent submissions into one write', async () => {
    const store = fakeStore();
    const committer = new GroupCommitter(store.write, (row: string) => row, options);
    const results = await Promise.all([committer.submit(['a', 'b']), committer.submit(['c']), committer.submit(['d', 'e'])]);
    expect(results.map((result) => result.stored)).toEqual([['a', 'b'], ['c'], ['d', 'e']]);
    expect(store.writes).toEqual([5]);
  });

  it('flushes at once when enough rows wait, and gathers the rest while a write is in flight', async () => {
    const store = fakeStore(20);
    const committer = new GroupCommitter(store.write, (row: string) => row, options);
    const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    const first = committer.submit(rows('a', 100));
    const later = Array.from({ length: 5 }, (_, i) => committer.submit(rows(`b${i}-`, 10)));
    await Promise.all([first, ...later]);
    expect(store.writes).toEqual([100, 50]);
  });

  it('credits a key stored once to the first submission that carried it', async () => {
    const store = fakeStore();
    const committer = new GroupCommitter(store.write, (row: string) => row, options);
    const results = await Promise.all([committer.submit(['x', 'y']), committer.submit(['y', 'z'])]);
    expect(results.map((result) => result.stored)).toEqual([['x', 'y'], ['z']]);
    expect((await committer.submit(['x'])).stored).toEqual([]);
  });

  it('tells each submission which of its rows the store refused, and why', async () => {
    const store = fakeStore();
    // A store that takes at most three new rows in all, as a quota would.
    const write = async (rows: string[]) => {
      const room = Math.max(0, 3 - store.stored.size);
      const fresh = rows.filter((row) => !store.stored.has(row));
      const result = await store.write(fresh.slice(0, room));
      for (const row of fresh.slice(room)) result.refused.set(row, 'quota');
      return result;
    };
    const committer = new GroupCommitter(write, (row: string) => row, options);
    const [first, second] = await Promise.all([committer.submit(['a', 'b']), committer.submit(['c', 'd', 'e'])]);
    expect(first).toEqual({ stored: ['a', 'b'], unstorable: [], refused: [] });
    expect(second).toEqual({
      stored: ['c'],
      unstorable: [],
      refused: [
        { row: 'd', reason: 'quota' },
        { row: 'e', reason: 'quota' },
      ],
    });
  });

  it('refuses at once when rows waiting and being written would pass the bound', async () => {
    const store = fakeStore(50);
    const committer = new GroupCommitter(store.write, (row: string) => row, { ...options, maxQueuedRows: 250 });
    const accepted = committer.submit(Array.from({ length: 100 }, (_, i) => `a${i}`));
    const waiting = committer.submit(Array.from({ length: 100 }, (_, i) => `b${i}`));
    await expect(committer.submit(Array.from({ length: 100 }, (_, i) => `c${i}`))).rejects.toBeInstanceOf(QueueFullError);
    await Promise.all([accepted, waiting]);
  });

  it('fails every submission of a failed write, and none of the next', async () => {
    let fail = true;
    const committer = new GroupCommitter(
      async (rows: string[]) => {
        if (fail) throw new Error('database down');
        return { stored: new Set(rows), refused: new Map() };
      },
      (row: string) => row,
      options,
    );
    const outcomes = await Promise.allSettled([committer.submit(['a']), committer.submit(['b'])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect((await committer.submit(['c'])).stored).toEqual(['c']);
  });

  describe('a write refused because of some of its rows', () => {
    class RowFault extends Error {}
    /** A store that refuses every write holding a row that starts with "bad", and counts its writes. */
    function pickyStore() {
      const store = fakeStore();
      const write = async (rows: string[]) => {
        if (rows.some((row) => row.startsWith('bad'))) {
          store.writes.push(rows.length);
          throw new RowFault('value too long');
        }
        return store.write(rows);
      };
      return { ...store, write };
    }
    const isRowFault = (error: unknown) => error instanceof RowFault;

    it("commits every other submission, and the failing one's other rows, naming the rows at fault", async () => {
      const store = pickyStore();
      const committer = new GroupCommitter(store.write, (row: string) => row, { ...options, isRowFault });
      const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
      const [innocent, mixed, otherInnocent] = await Promise.all([
        committer.submit(rows('a', 30)),
        committer.submit([...rows('b', 10), 'bad-1', ...rows('c', 10), 'bad-2']),
        committer.submit(rows('d', 30)),
      ]);
      expect(innocent).toEqual({ stored: rows('a', 30), unstorable: [], refused: [] });
      expect(otherInnocent).toEqual({ stored: rows('d', 30), unstorable: [], refused: [] });
      expect(mixed.stored.sort()).toEqual([...rows('b', 10), ...rows('c', 10)].sort());
      expect(mixed.unstorable.map(({ row }) => row).sort()).toEqual(['bad-1', 'bad-2']);
      expect(mixed.unstorable[0]!.error).toBeInstanceOf(RowFault);
      expect([...store.stored].filter((row) => row.startsWith('bad'))).toEqual([]);
      // Bisection, not a write per row: far fewer writes than the 82 rows.
      expect(store.writes.length).toBeLessThan(25);
    });

    it("fails every submission alike when the failure is not the rows' (an outage)", async () => {
      const committer = new GroupCommitter(
        async () => {
          throw new Error('connection refused');
        },
        (row: string) => row,
        { ...options, isRowFault },
      );
      const outcomes = await Promise.allSettled([committer.submit(['a']), committer.submit(['bad'])]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    });
  });

  it('drain waits until everything submitted is written', async () => {
    const store = fakeStore(10);
    const committer = new GroupCommitter(store.write, (row: string) => row, options);
    void committer.submit(['a']);
    void committer.submit(['b']);
    await committer.drain();
    expect([...store.stored].sort()).toEqual(['a', 'b']);
  });
});
