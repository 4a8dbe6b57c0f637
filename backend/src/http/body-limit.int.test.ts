import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_LIMITS } from '@pulse/shared/ingest';
import type { Runtime } from '../runtime.ts';
import { chunk, rawExchange } from '../test/raw-http.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';

// Body limits hold before a body is read or parsed: a client declaring or streaming more than the limit
// hears 413 at once, while it is still sending, and its connection is closed.
let runtime: Runtime;
let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  runtime = await startTestRuntime();
  server = await startTestServer(runtime);
  tenant = await createTestTenant(runtime, 'body-limit');
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

const ENDPOINTS = [
  { name: 'Segment /v1/batch', path: '/v1/batch' },
  { name: 'tRPC events.ingest', path: '/trpc/events.ingest' },
];
const host = () => new URL(server.url).host;
const head = (path: string, headers: string[]) =>
  [`POST ${path} HTTP/1.1`, `Host: ${host()}`, `Authorization: Bearer ${tenant.keys.admin}`, 'Content-Type: application/json', ...headers, '', ''].join('\r\n');

async function storedCount(): Promise<number> {
  const { rows } = await runtime.pool.query<{ count: string }>('SELECT count(*) FROM events WHERE tenant_id = $1', [tenant.id]);
  return Number(rows[0]!.count);
}

describe.each(ENDPOINTS)('$name', ({ path }) => {
  it('refuses a declared Content-Length past the limit with 413 at once, without waiting for the body', async () => {
    const answer = await rawExchange(server.url, (socket) => {
      socket.write(head(path, [`Content-Length: ${10 * 1024 * 1024 * 1024}`]));
      socket.write('{"batch": [');
    });
    expect(answer.status).toBe(413);
    expect(answer.ms).toBeLessThan(1_000);
    expect(answer.body).toMatch(/the request body is larger than 500 KB \(10,737,418,240 bytes\)/);
    expect(answer.headers.connection).toBe('close');
    expect(answer.closed).toBe(true);
  });

  it('refuses a chunked body as soon as it grows past the limit, though it never ends', async () => {
    const answer = await rawExchange(server.url, async (socket) => {
      socket.write(head(path, ['Transfer-Encoding: chunked']));
      socket.write(chunk('{"batch": ["'));
      // Chunks keep coming, past the limit and on: the client never sends the last chunk.
      for (let sent = 0; sent < 4 * INGEST_LIMITS.maxRequestBytes && !socket.destroyed; sent += 64 * 1024) {
        socket.write(chunk('x'.repeat(64 * 1024)));
        // A slow client: the body trickles in rather than arriving at once.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    expect(answer.status).toBe(413);
    expect(answer.ms).toBeLessThan(2_000);
    expect(answer.body).toMatch(/larger than 500 KB/);
    expect(answer.closed).toBe(true);
  });

  it('takes a body just under the limit', async () => {
    const before = await storedCount();
    // Strings in properties may have 8 KB each, an event 32 KB.
    const properties = Object.fromEntries(['a', 'b', 'c'].map((key) => [key, 'x'.repeat(8_000)]));
    const event = { type: 'track', event: 'big', userId: 'u-1', properties };
    const batch = Array.from({ length: 20 }, (_, i) => ({ ...event, messageId: `${path}-under-${i}` }));
    const body = JSON.stringify({ batch });
    expect(body.length).toBeGreaterThan(450 * 1024);
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.keys.admin}`, 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    expect(await storedCount()).toBe(before + 20);
  });
});

describe('compressed bodies (/v1)', () => {
  const post = (body: Buffer, encoding: string) =>
    fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.keys.ingest}`, 'content-type': 'application/json', 'content-encoding': encoding },
      body,
    });

  it('holds the limit on the decompressed size (a small gzip bomb is 413)', async () => {
    const bomb = gzipSync(Buffer.from(`{"batch": ["${'x'.repeat(20 * 1024 * 1024)}"]}`));
    expect(bomb.length).toBeLessThan(INGEST_LIMITS.maxRequestBytes);
    const response = await post(bomb, 'gzip');
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/larger than 500 KB/);
  });

  it('400 for a body that is not what its Content-Encoding says, or an encoding it does not know', async () => {
    const notGzip = await post(Buffer.from('{"batch": []}'), 'gzip');
    expect(notGzip.status).toBe(400);
    expect(((await notGzip.json()) as { error: { message: string } }).error.message).toMatch(/the body is not valid gzip/);
    const unknown = await post(Buffer.from('{"batch": []}'), 'compress');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/Content-Encoding "compress" is not supported/);
  });
});
