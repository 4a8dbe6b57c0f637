/** Requests of one second: how many, how they ended, how long they took. */
export interface SecondOfRequests {
  requests: number;
  statuses: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  latencyMs: { p50: number; p95: number; p99: number };
}

/** Latencies kept per second for the percentiles; beyond it, a uniform sample (reservoir) stands for the rest. */
const MAX_SAMPLES = 5_000;

/** The last full second of requests, for the live system view (Prometheus has the long-term histograms). */
export class RequestStats {
  private second = Math.floor(Date.now() / 1_000);
  private current = emptySecond();
  private last: SecondOfRequests = summarize(emptySecond());

  record(durationMs: number, status: number): void {
    this.roll();
    const bucket = this.current;
    bucket.requests += 1;
    const statusClass = `${Math.min(5, Math.max(2, Math.floor(status / 100)))}xx` as keyof SecondOfRequests['statuses'];
    bucket.statuses[statusClass] += 1;
    if (bucket.samples.length < MAX_SAMPLES) bucket.samples.push(durationMs);
    else {
      const slot = Math.floor(Math.random() * bucket.requests);
      if (slot < MAX_SAMPLES) bucket.samples[slot] = durationMs;
    }
  }

  lastSecond(): SecondOfRequests {
    this.roll();
    return this.last;
  }

  private roll(): void {
    const now = Math.floor(Date.now() / 1_000);
    if (now === this.second) return;
    // A quiet second in between means the last full second had no requests.
    this.last = summarize(now === this.second + 1 ? this.current : emptySecond());
    this.current = emptySecond();
    this.second = now;
  }
}

interface OpenSecond {
  requests: number;
  statuses: SecondOfRequests['statuses'];
  samples: number[];
}

function emptySecond(): OpenSecond {
  return { requests: 0, statuses: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, samples: [] };
}

function summarize(second: OpenSecond): SecondOfRequests {
  const sorted = second.samples.sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? 0 : Math.round(sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]! * 10) / 10);
  return { requests: second.requests, statuses: second.statuses, latencyMs: { p50: at(50), p95: at(95), p99: at(99) } };
}
