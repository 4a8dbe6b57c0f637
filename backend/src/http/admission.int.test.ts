import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { INGEST_LIMITS } from '@pulse/shared/ingest';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';

// Admission control refuses at once, before reading the body. A refused body of a declared length (up to the
// ingestion limit) is read and dropped so its sender's connection stays open for the retry; a chunked one is
// not read, and the connection closes behind the answer. SHED_MAX_IN_FLIGHT=1 and one upload held open make every other request
// a refusal.
let runtime: Runtime;
let tenant: TestTenant;
let server: TestServer;
let heldUpload: net.Socket;

beforeAll(async () => {
  runtime = await startTestRuntime({ SHED_MAX_IN_FLIGHT: 1 });
  tenant = await createTestTenant(runtime, 'admission');
  server = await startTestServer(runtime);
  const { port } = new URL(server.url);
  heldUpload = net.connect(Number(port), '127.0.0.1');
  heldUpload.write(
    `POST /v1/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Api-Key: ${tenant.keys.ingest}\r\nContent-Length: 100\r\n\r\n`,
  );
  await vi.waitFor(() => expect(runtime.load.status().inFlight).toBe(1), { timeout: 5_000 });
});

afterAll(async () => {
  heldUpload?.destroy();
  await server?.close();
  await runtime?.close();
});

interface Answer {
  status: number;
  retryAfter: string | undefined;
  connection: string | undefined;
  reusedSocket: boolean;
}

function postBatch(agent: http.Agent, bodyBytes: number, options: { chunked?: boolean } = {}): Promise<Answer> {
  const body = Buffer.alloc(bodyBytes, ' ');
  const length = options.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) };
  return new Promise((resolve, reject) => {
    const request = http.request(`${server.url}/v1/batch`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', ...length, 'x-api-key': tenant.keys.ingest },
    });
    let answered = false;
    request.once('response', (response) => {
      answered = true;
      response.resume();
      response.once('end', () =>
        resolve({
          status: response.statusCode!,
          retryAfter: response.headers['retry-after'],
          connection: response.headers.connection,
          reusedSocket: request.reusedSocket,
        }),
      );
    });
    // The server may close before all of a large body is sent: the answer has already come by then.
    request.once('error', (error) => (answered ? undefined : reject(error)));
    request.end(body);
  });
}

it('keeps the connection of a refused upload of the largest size taken open for the retry', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await postBatch(agent, INGEST_LIMITS.maxRequestBytes);
    expect(first).toMatchObject({ status: 503, retryAfter: '1', reusedSocket: false });
    expect(first.connection).not.toBe('close');
    const retry = await postBatch(agent, 1_000);
    expect(retry).toMatchObject({ status: 503, retryAfter: '1', reusedSocket: true });
  } finally {
    agent.destroy();
  }
});

it('does not read a refused chunked upload: the connection closes behind the answer', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const answer = await postBatch(agent, 64 * 1024, { chunked: true });
    expect(answer).toMatchObject({ status: 503, retryAfter: '1', connection: 'close' });
  } finally {
    agent.destroy();
  }
});
