import http from 'node:http';
import autocannon from 'autocannon';
import { percentile as nearestRank } from '../../backend/src/infra/load/percentile.ts';

/** Load is only ever sent to this machine's loopback addresses. */
function assertLoopback(url: string): void {
  if (!/^http:\/\/(127\.|localhost|\[::1\])/.test(url)) throw new Error(`load tests target loopback only, not ${url}`);
}

export interface LoadResult {
  seconds: number;
  ok: number;
  failed: number;
  latenciesMs: number[];
  /** When each 2xx answer arrived, in ms since the step began. */
  okAtMs: number[];
}

/**
 * 2xx answers per second between the first and the last: the rate once work flows, however long the step's
 * pipeline took to fill and to drain. A closed loop's last answers come as its time is up; a paced step's
 * come once the requests it admitted before the end are done, which is work it took on and is counted.
 */
export function okPerSecond(run: LoadResult): number {
  // Kept in the order the answers arrived.
  const first = run.okAtMs[0];
  const last = run.okAtMs.at(-1);
  if (first === undefined || last === undefined || last === first) return 0;
  return (run.okAtMs.length - 1) / ((last - first) / 1_000);
}

/** A bounded autocannon run against a loopback URL, keeping every response time for exact percentiles. */
export async function runLoad(options: {
  url: string;
  /** POST (the default) with this body; GET when there is none. */
  body?: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  /** Requests per second over all connections; unset = as fast as the server answers. */
  overallRate?: number;
}): Promise<LoadResult> {
  assertLoopback(options.url);
  const latenciesMs: number[] = [];
  const okAtMs: number[] = [];
  let failed = 0;
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: options.body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: options.body,
        connections: options.connections,
        duration: options.seconds,
        overallRate: options.overallRate,
      },
      (error) => (error ? reject(error) : resolve()),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      latenciesMs.push(responseTimeMs);
      if (statusCode >= 200 && statusCode < 300) okAtMs.push(performance.now() - start);
      else failed += 1;
    });
  });
  return { seconds: options.seconds, ok: okAtMs.length, failed, latenciesMs, okAtMs };
}

/** Nearest-rank percentile; NaN for no values, as the benchmarks have always printed it. */
export function percentile(values: readonly number[], p: number): number {
  return nearestRank(values, p) ?? Number.NaN;
}

/** A paced run's answers apart: the admitted ones, the refusals, and whatever else went wrong. */
export interface PacedResult extends LoadResult {
  okLatenciesMs: number[];
  /** 503s and 429s: the server said "not now". */
  refusedLatenciesMs: number[];
  refusedWithoutRetryAfter: number;
  /** Any other answer, or no answer at all. */
  otherFailures: number;
}

/**
 * Steady traffic: one request every 1/rate seconds, whatever the answers take (autocannon's overallRate
 * sends each second's requests in a burst, which measures queueing, not steady-state latency).
 */
export async function runPaced(options: {
  url: string;
  body: string;
  headers: Record<string, string>;
  ratePerSecond: number;
  seconds: number;
}): Promise<PacedResult> {
  assertLoopback(options.url);
  const result: PacedResult = {
    seconds: options.seconds,
    ok: 0,
    failed: 0,
    latenciesMs: [],
    okAtMs: [],
    okLatenciesMs: [],
    refusedLatenciesMs: [],
    refusedWithoutRetryAfter: 0,
    otherFailures: 0,
  };
  const total = Math.floor(options.ratePerSecond * options.seconds);
  const intervalMs = 1_000 / options.ratePerSecond;
  // The load generator shares the machine with the server: the body is encoded once and sent through
  // node:http, which costs this process about half the CPU fetch did at a spike's rate (measured: 40% of a
  // core for fetch, taken from the server and PostgreSQL it was meant to measure).
  const body = Buffer.from(options.body);
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length), ...options.headers };
  const agent = new http.Agent({ keepAlive: true });
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      (async () => {
        const sent = performance.now();
        const response = await post(options.url, headers, body, agent).catch(() => null);
        const answered = performance.now();
        const latencyMs = answered - sent;
        result.latenciesMs.push(latencyMs);
        if (response && response.status >= 200 && response.status < 300) {
          result.okAtMs.push(answered - start);
          result.okLatenciesMs.push(latencyMs);
          return;
        }
        result.failed += 1;
        if (response?.status === 503 || response?.status === 429) {
          result.refusedLatenciesMs.push(latencyMs);
          if (!response.retryAfter) result.refusedWithoutRetryAfter += 1;
        } else {
          result.otherFailures += 1;
        }
      })(),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { ...result, ok: result.okAtMs.length };
}

/** One POST, resolved once its answer has been read whole. */
function post(url: string, headers: Record<string, string>, body: Buffer, agent: http.Agent): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers, agent }, (response) => {
      response.resume();
      response.once('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }));
      response.once('error', reject);
    });
    request.once('error', reject);
    request.end(body);
  });
}
