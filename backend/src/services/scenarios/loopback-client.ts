/** An answer as the scenario saw it: status (0 when none came), parsed JSON body when there was one. */
export interface LoopbackAnswer<T = unknown> {
  status: number;
  body: T | null;
  retryAfter: string | null;
  ms: number;
}

/** The tRPC query URL for `procedure` with `input`, as an HTTP GET (no batching). */
export function trpcQueryPath(procedure: string, input: unknown): string {
  return `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/**
 * The scenario's own requests from the main thread (a few per second: probes, single events), sent to this
 * instance over loopback like any client's, and reported to the run's per-second figures.
 */
export class LoopbackClient {
  constructor(
    readonly baseUrl: string,
    private readonly record: (status: number | 'failed', ms: number) => void,
    private readonly signal: AbortSignal,
  ) {}

  async query<T>(procedure: string, input: unknown, key: string): Promise<LoopbackAnswer<{ result?: { data: T } }>> {
    return this.send(trpcQueryPath(procedure, input), key);
  }

  async ingest(key: string, batch: object[]): Promise<LoopbackAnswer<{ accepted: number; queued?: number; duplicates: number }>> {
    return this.send('/v1/batch', key, JSON.stringify({ batch }));
  }

  private async send<T>(path: string, key: string, body?: string): Promise<LoopbackAnswer<T>> {
    const started = performance.now();
    try {
      const response = await fetch(this.baseUrl + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...bearer(key), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body,
        signal: AbortSignal.any([this.signal, AbortSignal.timeout(30_000)]),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      this.record(response.status, ms);
      let parsed: T | null = null;
      try {
        parsed = JSON.parse(text) as T;
      } catch {
        // Not JSON (a proxy's error page): the status says enough.
      }
      return { status: response.status, body: parsed, retryAfter: response.headers.get('retry-after'), ms };
    } catch (error) {
      if (this.signal.aborted) throw error;
      this.record('failed', performance.now() - started);
      return { status: 0, body: null, retryAfter: null, ms: performance.now() - started };
    }
  }
}
