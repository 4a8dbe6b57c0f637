import { request } from 'node:http';
import type { Socket } from 'node:net';
import { initTRPC } from '@trpc/server';
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Context } from '../trpc/context.ts';
import { listenOnLoopback, type TestServer } from '../test/test-tenant.ts';
import { trpcQueryFastPath } from './trpc-query-fast-path.ts';
import type { TrpcHttpHooks } from './trpc-routes.ts';
import { trpcSubscriptionFastPath } from './trpc-subscription-fast-path.ts';

// What tRPC's adapter does besides its wire format, held for the fast paths: a query learns that its caller
// left, a slow SSE reader is waited for instead of buffered, and no quiet gap outlasts the ping interval.
// A router of its own makes each visible; the hooks are the product's seam, and these procedures ignore them.
const PING_INTERVAL_MS = 300;
const t = initTRPC.context<Context>().create({ sse: { ping: { enabled: true, intervalMs: PING_INTERVAL_MS } } });

const seen = { queryAborted: false, queryStarted: false, pulled: 0 };
const EVENT_TEXT = 'x'.repeat(8_192);

const router = t.router({
  waitsForCallerToLeave: t.procedure.query(async ({ signal }) => {
    seen.queryStarted = true;
    await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
    seen.queryAborted = true;
    return 'left';
  }),
  // As many events as the reader takes: with no backpressure all of them (about 800 MB) would be pulled at once.
  firehose: t.procedure.subscription(async function* () {
    for (let i = 0; i < 100_000; i += 1) {
      seen.pulled += 1;
      yield EVENT_TEXT;
    }
  }),
  // One event part-way into the first ping interval, then quiet: only pings keep the stream alive. Time is
  // what is under test here: the event must land mid-interval for a fixed-beat pinger to show its long gap.
  quietAfterOne: t.procedure.subscription(async function* ({ signal }) {
    await new Promise((resolve) => setTimeout(resolve, PING_INTERVAL_MS * 0.6));
    yield 'one';
    await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  }),
});

const hooks: TrpcHttpHooks = {
  createContext: () => ({}) as Context,
  headersFor: () => ({}),
  onError: () => {},
};

let server: TestServer;

beforeAll(async () => {
  const app = express().use('/trpc', trpcQueryFastPath(router, hooks), trpcSubscriptionFastPath(router, hooks), (_req, res) => void res.status(599).end());
  server = await listenOnLoopback(app);
});

afterAll(() => server?.close());

/** A GET whose socket the test holds: to leave early, or to read slowly. */
function open(path: string): Promise<{ socket: Socket; status: number; body: NodeJS.ReadableStream }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/trpc/${path}`, { headers: { accept: 'text/event-stream' } }, (res) =>
      resolve({ socket: req.socket!, status: res.statusCode!, body: res }),
    );
    req.once('error', reject);
    req.end();
  });
}

it('tells a query its caller left', async () => {
  const req = request(`${server.url}/trpc/waitsForCallerToLeave`);
  req.once('error', () => {});
  req.end();
  await expect.poll(() => seen.queryStarted, { timeout: 5_000 }).toBe(true);
  req.destroy();
  await expect.poll(() => seen.queryAborted, { timeout: 5_000 }).toBe(true);
});

it('waits for a slow SSE reader instead of buffering what it has not read', async () => {
  const { socket, status, body } = await open('firehose');
  expect(status).toBe(200);
  body.pause();
  // The stream fills the socket's buffers, then the server waits: the pulls stop far short of the end.
  await expect.poll(() => seen.pulled, { timeout: 5_000 }).toBeGreaterThan(10);
  let lastSeen = -1;
  const unchangedSinceLastLook = () => {
    const unchanged = seen.pulled === lastSeen;
    lastSeen = seen.pulled;
    return unchanged;
  };
  await expect.poll(unchangedSinceLastLook, { timeout: 10_000, interval: 250 }).toBe(true);
  expect(seen.pulled).toBeLessThan(10_000);
  // Reading again lets it go on.
  const stalledAt = seen.pulled;
  body.resume();
  await expect.poll(() => seen.pulled, { timeout: 10_000 }).toBeGreaterThan(stalledAt + 100);
  socket.destroy();
});

it('pings a quiet stream once a whole interval passed since its last event, never later', async () => {
  const { socket, body } = await open('quietAfterOne');
  const arrivals: number[] = [];
  let text = '';
  body.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    arrivals.push(performance.now());
  });
  await expect.poll(() => (text.match(/event: ping/g) ?? []).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
  socket.destroy();
  const gaps = arrivals.slice(1).map((at, index) => at - arrivals[index]!);
  // Checked on a fixed beat for a quiet interval, the gap after 'one' was 1.4 intervals (up to nearly two);
  // counted from the last write, it is one.
  expect(Math.max(...gaps)).toBeLessThan(PING_INTERVAL_MS * 1.25);
});
