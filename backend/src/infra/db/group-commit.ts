export interface GroupCommitOptions {
  /** A flush starts once this many rows wait (it takes whole submissions, so it may be a little larger). */
  maxBatchRows: number;
  /** …or this long after the first row arrived, whichever comes first. */
  flushDelayMs: number;
  /** Rows not yet committed (waiting or being written) allowed at once; past it, submit refuses at once. */
  maxQueuedRows: number;
  /** Flushes in flight at once; while they run, new rows gather into the next, larger flush. */
  maxConcurrentFlushes: number;
}

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

interface Submission<Row> {
  rows: readonly Row[];
  resolve: (stored: Row[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: concurrent submissions are coalesced into one write per flush, so throughput grows with
 * load while every submitter still waits for the commit of its own rows. The write returns the keys of
 * the rows it stored; each submission learns which of its rows those were (a key stored once is credited
 * once, to the first submission that carried it).
 */
export class GroupCommitter<Row> {
  private waiting: Submission<Row>[] = [];
  private waitingRows = 0;
  private flushesInFlight = 0;
  private rowsInFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly write: (rows: Row[]) => Promise<Set<string>>,
    private readonly keyOf: (row: Row) => string,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Rows submitted and not yet committed. */
  get queuedRows(): number {
    return this.waitingRows + this.rowsInFlight;
  }

  /** Resolves with the rows that were new (the rest were already stored) once they are committed. */
  submit(rows: readonly Row[]): Promise<Row[]> {
    if (this.queuedRows + rows.length > this.options.maxQueuedRows) {
      return Promise.reject(new QueueFullError(`${this.queuedRows} rows are already waiting to be written`));
    }
    return new Promise<Row[]>((resolve, reject) => {
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

  private takeBatch(): Submission<Row>[] {
    const batch: Submission<Row>[] = [];
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

  private async flush(batch: Submission<Row>[]): Promise<void> {
    const rows = batch.reduce((sum, submission) => sum + submission.rows.length, 0);
    try {
      const storedKeys = await this.write(batch.flatMap((submission) => submission.rows));
      for (const submission of batch) {
        submission.resolve(submission.rows.filter((row) => storedKeys.delete(this.keyOf(row))));
      }
    } catch (error) {
      for (const submission of batch) submission.reject(error);
    } finally {
      this.rowsInFlight -= rows;
    }
  }
}
