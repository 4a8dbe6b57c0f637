import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, listenOnLoopback, type TestServer, type TestTenant } from '../test/test-tenant.ts';
import { appRouter } from '../trpc/app-router.ts';
import { requestLogging } from './request-logging.ts';
import { trpcSubscriptionFastPath } from './trpc-subscription-fast-path.ts';
import { standardTrpcMiddleware, trpcHttpHooks } from './trpc-routes.ts';

// The subscription fast path must write exactly what tRPC's adapter writes. Both run side by side on one
// runtime; the fast one ends in a 599 sentinel so a request it passes on is told apart from one it answered.
const PASSED_ON = 599;

let runtime: Runtime;
let tenant: TestTenant;
let fast: TestServer;
let standard: TestServer;

beforeAll(async () => {
  runtime = await startTestRuntime();
  tenant = await createTestTenant(runtime, 'sse-fast-path');
  const hooks = trpcHttpHooks(runtime.services);
  const logging = requestLogging(runtime.logger);
  fast = await listenOnLoopback(
    express()
      .use(logging)
      .use('/trpc', trpcSubscriptionFastPath(appRouter, hooks), (_req, res) => void res.status(PASSED_ON).end()),
  );
  standard = await listenOnLoopback(express().use(logging).use('/trpc', standardTrpcMiddleware(hooks)));
});

afterAll(async () => {
  await fast?.close();
  await standard?.close();
  await runtime?.close();
});

interface Stream {
  status: number;
  headers: Record<string, string | null>;
  /** The raw events read so far, each as written (ends of lines included). */
  events: string[];
  close(): void;
}

/** Opens the stream and reads until `count` events arrived (or it ended, with `count` 0); `onEvent` hears each new one. */
async function read(
  server: TestServer,
  path: string,
  init: { headers?: Record<string, string>; method?: string } = {},
  count = 0,
  onEvent?: (event: string) => void,
): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/trpc/${path}`, { ...init, signal: controller.signal });
  const headers = Object.fromEntries(
    ['content-type', 'cache-control', 'x-accel-buffering', 'ratelimit-limit'].map((name) => [name, response.headers.get(name)]),
  );
  const stream: Stream = { status: response.status, headers, events: [], close: () => controller.abort() };
  if (!response.body || response.status !== 200) return stream;
  let text = '';
  const decoder = new TextDecoder();
  const deadline = Date.now() + 5_000;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    const events = text.split(/(?<=\n\n\n)/).filter((piece) => piece.endsWith('\n\n\n'));
    for (const event of events.slice(stream.events.length)) onEvent?.(event);
    stream.events = events;
    if ((count > 0 && stream.events.length >= count) || Date.now() > deadline) break;
  }
  controller.abort();
  return stream;
}

const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
const liveInput = (input: object) => `analytics.live?input=${encodeURIComponent(JSON.stringify(input))}`;

describe('tRPC subscription fast path', () => {
  const refusals: Array<[string, () => [string, { headers?: Record<string, string> }]]> = [
    ['no API key', () => [liveInput({}), {}]],
    ['a key without read scope', () => [liveInput({}), bearer(tenant.keys.ingest)]],
    ['an id the stream never sent', () => [liveInput({ lastEventId: 'nope' }), bearer(tenant.keys.read)]],
    ['input that fails validation', () => [liveInput({ lastEventId: 'x'.repeat(100) }), bearer(tenant.keys.read)]],
    ['an unknown key in connection params', () => [`${liveInput({})}&connectionParams=${encodeURIComponent(JSON.stringify({ apiKey: 'pk_read_nope' }))}`, {}]],
  ];

  it.each(refusals)('refuses %s as the adapter does', async (_name, request) => {
    const [path, init] = request();
    const [fromFastPath, fromAdapter] = [await read(fast, path, init), await read(standard, path, init)];
    expect(fromFastPath.status).toBe(200);
    expect(fromFastPath.events.map((piece) => piece.split('\n')[0])).toEqual(['event: connected', 'event: serialized-error']);
    expect(fromFastPath).toMatchObject({ status: fromAdapter.status, headers: fromAdapter.headers, events: fromAdapter.events });
  });

  it('streams tracked deltas with the same ids and data as the adapter, keyed by header or connection params, and resumes alike', async () => {
    const viaParams = `${liveInput({})}&connectionParams=${encodeURIComponent(JSON.stringify({ apiKey: tenant.keys.read }))}`;
    // A stream says "connected" once it is subscribed: every commit after that reaches it.
    let connected = 0;
    const onEvent = (event: string) => {
      if (event.startsWith('event: connected')) connected += 1;
    };
    const subscribers = [
      read(fast, liveInput({}), bearer(tenant.keys.read), 4, onEvent),
      read(standard, liveInput({}), bearer(tenant.keys.read), 4, onEvent),
      read(fast, viaParams, {}, 4, onEvent),
    ] as const;
    await expect.poll(() => connected, { timeout: 10_000, interval: 10 }).toBe(subscribers.length);
    for (let i = 0; i < 3; i += 1) {
      await runtime.services.eventIngest.ingest(tenant, { batch: [{ type: 'track', event: 'fast-path', userId: 'u', messageId: `sse-fast-${i}` }] });
    }
    const [fromFastPath, fromAdapter, fromParams] = await Promise.all(subscribers);
    expect(fromFastPath.events).toHaveLength(4);
    expect(fromFastPath.events[1]).toMatch(/^data: \{.*\}\nid: \d+-\d+\n\n\n$/);
    expect({ ...fromFastPath, headers: { ...fromFastPath.headers, 'ratelimit-limit': null } }).toMatchObject({
      ...fromAdapter,
      headers: { ...fromAdapter.headers, 'ratelimit-limit': null },
      close: expect.any(Function),
    });
    expect(fromParams.events).toEqual(fromFastPath.events);

    // Resuming after the first delta (EventSource's Last-Event-ID header) replays the other two, alike.
    const firstId = /id: (\S+)/.exec(fromFastPath.events[1]!)![1]!;
    const resume = { headers: { authorization: `Bearer ${tenant.keys.read}`, 'last-event-id': firstId } };
    const [resumedFast, resumedAdapter] = await Promise.all([read(fast, liveInput({}), resume, 3), read(standard, liveInput({}), resume, 3)]);
    expect(resumedFast.events).toEqual(fromFastPath.events.slice(0, 1).concat(fromFastPath.events.slice(2)));
    expect(resumedAdapter.events).toEqual(resumedFast.events);
  });

  it('passes batches and other methods on to the adapter', async () => {
    expect((await read(fast, 'analytics.live?batch=1', bearer(tenant.keys.read))).status).toBe(PASSED_ON);
    expect((await read(fast, 'analytics.live', { method: 'POST' })).status).toBe(PASSED_ON);
    expect((await read(fast, 'analytics.summary', bearer(tenant.keys.read))).status).toBe(PASSED_ON);
  });
});
