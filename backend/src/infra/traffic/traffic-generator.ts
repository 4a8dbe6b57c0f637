import { Worker } from 'node:worker_threads';

/** What a stream sends: unique Segment batches, or a list of requests sent in turn. */
export type TrafficRequests =
  | {
      kind: 'ingest';
      path: string;
      batchSize: number;
      eventName: string;
      /** Prefix of every messageId, so a run's events can be told apart. */ idPrefix: string;
    }
  | { kind: 'list'; items: Array<{ path: string; body?: string }> };

/** open: requests per second regardless of answers (a ramp from → to, then holding); closed: `concurrency` callers, each waiting for its answer. */
export type TrafficLoad = { kind: 'open'; fromPerSecond: number; toPerSecond: number; rampMs: number } | { kind: 'closed'; concurrency: number };

export interface TrafficStream {
  name: string;
  headers: Record<string, string>;
  requests: TrafficRequests;
  load: TrafficLoad;
  durationMs: number;
  maxRequests: number;
  /** Open loop only: beyond this many unanswered requests the generator skips sends rather than queue them. */
  maxInFlight?: number;
  /** ingest: count acknowledged events from the answers; degraded: count tRPC answers flagged degraded. */
  inspect?: 'ingest' | 'degraded' | 'none';
}

/** One stream's answers within one second (or, summed, over its whole run). */
export interface TrafficStats {
  sent: number;
  skipped: number;
  /** By HTTP status; "failed" when no answer came. */
  statuses: Record<string, number>;
  latencies: number[];
  acknowledged: number;
  duplicates: number;
  degraded: number;
  /** 429 and 503 answers without a Retry-After header. */
  retryAfterMissing: number;
}

export function emptyStats(): TrafficStats {
  return { sent: 0, skipped: 0, statuses: {}, latencies: [], acknowledged: 0, duplicates: 0, degraded: 0, retryAfterMissing: 0 };
}

export function addStats(into: TrafficStats, from: TrafficStats): TrafficStats {
  into.sent += from.sent;
  into.skipped += from.skipped;
  for (const [status, count] of Object.entries(from.statuses)) into.statuses[status] = (into.statuses[status] ?? 0) + count;
  for (const latency of from.latencies) into.latencies.push(latency);
  into.acknowledged += from.acknowledged;
  into.duplicates += from.duplicates;
  into.degraded += from.degraded;
  into.retryAfterMissing += from.retryAfterMissing;
  return into;
}

export function answered(stats: TrafficStats, statusFilter: (status: number) => boolean = () => true): number {
  return Object.entries(stats.statuses).reduce((sum, [status, count]) => (status !== 'failed' && statusFilter(Number(status)) ? sum + count : sum), 0);
}

type WorkerMessage = { type: 'second'; name: string; stats: TrafficStats } | { type: 'ended'; name: string };

/**
 * Sends HTTP traffic to one base URL from a worker thread (see traffic-worker.mjs). Streams run side by
 * side; each reports every second and resolves with its totals once its last answer is in.
 */
export class TrafficGenerator {
  private readonly worker: Worker;
  private readonly totals = new Map<string, TrafficStats>();
  private readonly ended = new Map<string, () => void>();
  private readonly secondListeners = new Set<(name: string, stats: TrafficStats) => void>();
  private closed = false;

  constructor(baseUrl: string) {
    this.worker = new Worker(new URL('./traffic-worker.mjs', import.meta.url));
    this.worker.postMessage({ type: 'init', baseUrl });
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'second') {
        addStats(this.totals.get(message.name) ?? emptyStats(), message.stats);
        for (const listener of this.secondListeners) listener(message.name, message.stats);
      } else {
        this.ended.get(message.name)?.();
      }
    });
  }

  /** Starts a stream; resolves with everything it saw once it ended (duration, request cap or stop). */
  run(stream: TrafficStream): Promise<TrafficStats> {
    if (this.closed) throw new Error('the traffic generator has stopped');
    if (this.totals.has(stream.name)) throw new Error(`a stream named ${stream.name} already ran`);
    const totals = emptyStats();
    this.totals.set(stream.name, totals);
    const done = new Promise<TrafficStats>((resolve) => this.ended.set(stream.name, () => resolve(totals)));
    this.worker.postMessage({ type: 'stream', spec: { maxInFlight: 1_000, inspect: 'none', ...stream } });
    return done;
  }

  /** Every stream's answers, a second at a time. */
  onSecond(listener: (name: string, stats: TrafficStats) => void): void {
    this.secondListeners.add(listener);
  }

  /** Ends one stream (or all): no new requests; the ones in flight are still counted. */
  stop(name?: string): void {
    this.worker.postMessage({ type: 'stop', name });
  }

  /** Stops everything at once; streams still running resolve with what they had counted. */
  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
    for (const resolve of this.ended.values()) resolve();
  }
}
