export interface GroupCommitOptions {
  /** A flush starts once this many rows wait (it takes whole submissions, so it may be a little larger). */
  maxBatchRows: number;
  /** …or this long after the first row arrived, whichever comes first. */
  flushDelayMs: number;
  /** Rows not yet committed (waiting or being written) allowed at once; past it, submit refuses at once. */
  maxQueuedRows: number;
  /** Flushes in flight at once; while they run, new rows gather into the next, larger flush. */
  maxConcurrentFlushes: number;
  /**
   * Whether a failed write was refused because of some of its rows (not because the database is out or the
   * statement is wrong). Such a write is split until the rows at fault are found; the others commit.
   */
  isRowFault?: (error: unknown) => boolean;
}

/** What one write did: the keys of the rows it stored (new ones), and of those a rule of the store refused (a quota), with why. */
export interface WriteResult<Refusal> {
  stored: Set<string>;
  refused: Map<string, Refusal>;
}

/**
 * What became of a submission's rows: new and now stored (the rest were stored before), failed on their own
 * (`unstorable`), or refused by a rule of the store (`refused`).
 */
export interface CommitResult<Row, Refusal = never> {
  stored: Row[];
  unstorable: Array<{ row: Row; error: unknown }>;
  refused: Array<{ row: Row; reason: Refusal }>;
}

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

interface Submission<Row, Refusal> {
  rows: readonly Row[];
  resolve: (result: CommitResult<Row, Refusal>) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: concurrent submissions are coalesced into one write per flush, so throughput grows with
 * load while every submitter still waits for the commit of its own rows. The write returns the keys of
 * the rows it stored, and of those it refused; each submission learns which of its rows those were (a key
 * stored once is credited once, to the first submission that carried it).
 *
 * A failure stays with its owner: a write refused because of some rows (`isRowFault`) is split, first by
 * submission, then each failing submission's rows by halves, so the other submissions commit and the failing
 * one learns which of its rows cannot be stored. Any other failure (an outage) fails every submission.
 */
export class GroupCommitter<Row, Refusal = never> {
  private waiting: Submission<Row, Refusal>[] = [];
  private waitingRows = 0;
  private flushesInFlight = 0;
  private rowsInFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly write: (rows: Row[]) => Promise<WriteResult<Refusal>>,
    private readonly keyOf: (row: Row) => string,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Rows submitted and not yet committed. */
  get queuedRows(): number {
    return this.waitingRows + this.rowsInFlight;
  }

  /** Resolves once the rows are committed: which were new (the rest were already stored), which cannot be stored. */
  submit(rows: readonly Row[]): Promise<CommitResult<Row, Refusal>> {
    if (this.queuedRows + rows.length > this.options.maxQueuedRows) {
      return Promise.reject(new QueueFullError(`${this.queuedRows} rows are already waiting to be written`));
    }
    return new Promise<CommitResult<Row, Refusal>>((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      this.waitingRows += rows.length;
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far is written (used at shutdown). */
  async drain(): Promise<void> {
    while (this.waitingRows > 0 || this.flushesInFlight > 0) {
      if (this.timer) this.flushNow();
      await new Promise<void>((resolve) => this.idle.add(resolve));
    }
  }

  private schedule(): void {
    if (this.flushesInFlight >= this.options.maxConcurrentFlushes) return;
    if (this.waitingRows >= this.options.maxBatchRows) this.flushNow();
    else this.timer ??= setTimeout(() => this.flushNow(), this.options.flushDelayMs);
  }

  private flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    this.flushesInFlight += 1;
    void this.flush(batch).finally(() => {
      this.flushesInFlight -= 1;
      if (this.waitingRows > 0) this.schedule();
      // Drainers re-check after every flush whether anything is left.
      for (const notify of this.idle) notify();
      this.idle.clear();
    });
  }

  private takeBatch(): Submission<Row, Refusal>[] {
    const batch: Submission<Row, Refusal>[] = [];
    let rows = 0;
    while (this.waiting.length > 0 && rows < this.options.maxBatchRows) {
      const submission = this.waiting.shift()!;
      batch.push(submission);
      rows += submission.rows.length;
    }
    this.waitingRows -= rows;
    this.rowsInFlight += rows;
    return batch;
  }

  private async flush(batch: Submission<Row, Refusal>[]): Promise<void> {
    const rows = batch.reduce((sum, submission) => sum + submission.rows.length, 0);
    try {
      await this.writeSubmissions(batch);
    } finally {
      this.rowsInFlight -= rows;
    }
  }

  /** Writes the submissions together; when their rows are at fault, each half on its own, down to one submission. */
  private async writeSubmissions(batch: Submission<Row, Refusal>[]): Promise<void> {
    try {
      const written = await this.write(batch.flatMap((submission) => submission.rows));
      for (const submission of batch) {
        submission.resolve({ stored: this.storedOf(submission.rows, written), unstorable: [], refused: this.refusedOf(submission.rows, written) });
      }
    } catch (error) {
      if (!this.isRowFault(error)) {
        for (const submission of batch) submission.reject(error);
      } else if (batch.length > 1) {
        const middle = Math.ceil(batch.length / 2);
        await this.writeSubmissions(batch.slice(0, middle));
        await this.writeSubmissions(batch.slice(middle));
      } else {
        await this.isolateRows(batch[0]!, error);
      }
    }
  }

  /** One submission whose rows were refused: bisects them, commits those that can be stored, names the others. */
  private async isolateRows(submission: Submission<Row, Refusal>, firstError: unknown): Promise<void> {
    const result: CommitResult<Row, Refusal> = { stored: [], unstorable: [], refused: [] };
    const pending: Array<{ rows: readonly Row[]; knownError: unknown }> = [{ rows: submission.rows, knownError: firstError }];
    try {
      for (let part = pending.pop(); part !== undefined; part = pending.pop()) {
        if (part.rows.length === 1 && part.knownError !== undefined) {
          result.unstorable.push({ row: part.rows[0]!, error: part.knownError });
          continue;
        }
        if (part.knownError === undefined) {
          try {
            const written = await this.write([...part.rows]);
            result.stored.push(...this.storedOf(part.rows, written));
            result.refused.push(...this.refusedOf(part.rows, written));
            continue;
          } catch (error) {
            if (!this.isRowFault(error)) throw error;
            if (part.rows.length === 1) {
              result.unstorable.push({ row: part.rows[0]!, error });
              continue;
            }
          }
        }
        const middle = Math.ceil(part.rows.length / 2);
        pending.push({ rows: part.rows.slice(middle), knownError: undefined }, { rows: part.rows.slice(0, middle), knownError: undefined });
      }
    } catch (outage) {
      // Rows committed before the outage stay committed; the submitter spools them all, and message ids make
      // the replay of those a no-op.
      submission.reject(outage);
      return;
    }
    submission.resolve(result);
  }

  /** The rows whose keys the write stored; each key is taken out once credited. */
  private storedOf(rows: readonly Row[], written: WriteResult<Refusal>): Row[] {
    return rows.filter((row) => written.stored.delete(this.keyOf(row)));
  }

  private refusedOf(rows: readonly Row[], written: WriteResult<Refusal>): Array<{ row: Row; reason: Refusal }> {
    if (written.refused.size === 0) return [];
    return rows.flatMap((row) => {
      const reason = written.refused.get(this.keyOf(row));
      return reason === undefined ? [] : [{ row, reason }];
    });
  }

  private isRowFault(error: unknown): boolean {
    return this.options.isRowFault?.(error) ?? false;
  }
}
