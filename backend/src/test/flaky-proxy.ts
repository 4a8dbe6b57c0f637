import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FlakyProxyStats {
  requests: number;
  /** Forwarded and stored by the server, but the client was told it failed: its retry must be a no-op. */
  failedAfterForwarding: number;
  /** Never reached the server. */
  failedBeforeForwarding: number;
  /** Duplicates the server reported, summed over the responses the client did receive. */
  duplicatesReported: number;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * A loopback HTTP proxy standing between an SDK and the server that fails some responses on purpose: every
 * `failEvery`-th request is forwarded and then answered 503 (the events are stored, the SDK retries), the
 * one after it is answered 503 without forwarding. Everything else passes through unchanged.
 */
export async function startFlakyProxy(targetUrl: string, failEvery = 4): Promise<{ url: string; stats: FlakyProxyStats; close(): Promise<void> }> {
  const stats: FlakyProxyStats = { requests: 0, failedAfterForwarding: 0, failedBeforeForwarding: 0, duplicatesReported: 0 };
  const server = createServer(async (req, res) => {
    stats.requests += 1;
    const position = stats.requests % failEvery;
    const body = await readBody(req);
    if (position === 1) {
      stats.failedBeforeForwarding += 1;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"injected before forwarding"}');
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name, value]) => !HOP_BY_HOP.has(name) && typeof value === 'string')) as Record<
      string,
      string
    >;
    const response = await fetch(`${targetUrl}${req.url}`, { method: req.method, headers, body });
    const text = await response.text();
    if (position === 0) {
      stats.failedAfterForwarding += 1;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"injected after forwarding"}');
      return;
    }
    if (response.ok) stats.duplicatesReported += (JSON.parse(text) as { duplicates?: number }).duplicates ?? 0;
    res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' }).end(text);
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
