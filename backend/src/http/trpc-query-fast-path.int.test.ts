import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { rateLimitsWith } from '../services/rate-limit-plans.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, listenOnLoopback, type TestServer, type TestTenant } from '../test/test-tenant.ts';
import { appRouter } from '../trpc/app-router.ts';
import { requestLogging } from './request-logging.ts';
import { trpcQueryFastPath } from './trpc-query-fast-path.ts';
import { standardTrpcMiddleware, trpcHttpHooks } from './trpc-routes.ts';

// The fast path must answer every query exactly as tRPC's adapter would. Both run side by side on the same
// runtime; the fast one ends in a 599 sentinel so a request it passes on is told apart from one it answered.
const PASSED_ON = 599;
const READ_LIMIT = 4;
const DAY_MS = 86_400_000;
const dayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
const RANGE = { from: new Date(dayStart).toISOString(), to: new Date(dayStart + DAY_MS).toISOString() };

let runtime: Runtime;
let tenant: TestTenant;
let fast: TestServer;
let standard: TestServer;

beforeAll(async () => {
  runtime = await startTestRuntime({ RATE_LIMITS: rateLimitsWith({ pro: { read: READ_LIMIT } }) });
  tenant = await createTestTenant(runtime, 'fast-path');
  const hooks = trpcHttpHooks(runtime.services);
  const logging = requestLogging(runtime.logger);
  fast = await listenOnLoopback(
    express()
      .use(logging)
      .use('/trpc', trpcQueryFastPath(appRouter, hooks), (_req, res) => void res.status(PASSED_ON).end()),
  );
  standard = await listenOnLoopback(express().use(logging).use('/trpc', standardTrpcMiddleware(hooks)));
});

afterAll(async () => {
  await fast?.close();
  await standard?.close();
  await runtime?.close();
});

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string | null>;
}

async function ask(server: TestServer, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${server.url}/trpc/${path}`, init);
  const text = await response.text();
  const headers = Object.fromEntries(
    ['content-type', 'vary', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'].map((name) => [name, response.headers.get(name)]),
  );
  return { status: response.status, body: parsedOrText(text), headers };
}

/** JSON answers compare as values; JSON lines (the streaming link's format) stay text. */
function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Cache metadata differs between two reads of one answer (the first loads, the second hits). */
function withoutCacheInfo(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCacheInfo);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'cache')
      .map(([key, inner]) => [key, withoutCacheInfo(inner)]),
  );
}

const query = (input: unknown) => `input=${encodeURIComponent(JSON.stringify(input))}`;
const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
/** A read key with a whole read allowance of its own: limits are per tenant, so a tenant of its own. */
const freshReadKey = async () => (await createTestTenant(runtime, 'fast-path')).keys.read;

describe('tRPC query fast path', () => {
  const answered: Array<[string, () => Promise<[string, RequestInit]>, number]> = [
    ['a public query without input', async () => ['system.info', {}], 200],
    ['a tenant query with input', async () => [`analytics.summary?${query(RANGE)}`, bearer(await freshReadKey())], 200],
    ['a batch of queries', async () => [`system.info,analytics.summary?batch=1&${query({ 1: RANGE })}`, bearer(await freshReadKey())], 200],
    ['a batch where one call fails (207)', async () => [`system.info,analytics.summary?batch=1&${query({ 1: RANGE })}`, {}], 207],
    ['no API key (401)', async () => [`analytics.summary?${query(RANGE)}`, {}], 401],
    ['a key without read scope (403)', async () => [`analytics.summary?${query(RANGE)}`, bearer(tenant.keys.ingest)], 403],
    ['input that fails validation (400)', async () => [`analytics.summary?${query({ from: 'yesterday', to: RANGE.to })}`, bearer(await freshReadKey())], 400],
  ];

  it.each(answered)('answers %s as the adapter does', async (_name, request, expectedStatus) => {
    const [path, init] = await request();
    const fromFastPath = await ask(fast, path, init);
    const fromAdapter = await ask(standard, path, init);
    expect(fromFastPath.status).toBe(expectedStatus);
    // Both count against the same limits, the fast path first.
    const remaining = (answer: Answer) => answer.headers['ratelimit-remaining'];
    if (remaining(fromAdapter) === null) expect(remaining(fromFastPath)).toBeNull();
    else expect(Number(remaining(fromFastPath))).toBeGreaterThan(Number(remaining(fromAdapter)));
    // …and the seconds left in the window can tick over between the two requests.
    expect(Math.abs(Number(fromFastPath.headers['ratelimit-reset']) - Number(fromAdapter.headers['ratelimit-reset']))).toBeLessThanOrEqual(1);
    const withoutCounts = (answer: Answer) => ({ ...answer, headers: { ...answer.headers, 'ratelimit-remaining': null, 'ratelimit-reset': null } });
    expect(withoutCacheInfo(withoutCounts(fromFastPath))).toEqual(withoutCacheInfo(withoutCounts(fromAdapter)));
  });

  it('answers a rate-limited read as the adapter does, with Retry-After and RateLimit-* headers', async () => {
    const key = await freshReadKey();
    for (let i = 0; i < READ_LIMIT; i += 1) await ask(fast, 'analytics.summary?' + query(RANGE), bearer(key));
    const fromFastPath = await ask(fast, `analytics.summary?${query(RANGE)}`, bearer(key));
    const fromAdapter = await ask(standard, `analytics.summary?${query(RANGE)}`, bearer(key));
    expect(fromFastPath.status).toBe(429);
    // The seconds left can tick over between the two requests; everything else must match.
    const retryAfter = (answer: Answer) => Number(answer.headers['retry-after']);
    expect(retryAfter(fromFastPath)).toBeGreaterThan(0);
    expect(Math.abs(retryAfter(fromFastPath) - retryAfter(fromAdapter))).toBeLessThanOrEqual(1);
    expect(fromFastPath.headers).toMatchObject({ 'ratelimit-limit': String(READ_LIMIT), 'ratelimit-remaining': '0' });
    expect(fromFastPath.headers['ratelimit-reset']).toBe(fromFastPath.headers['retry-after']);
    const normalised = (answer: Answer) =>
      JSON.stringify(answer)
        .replace(/retry in \d+ s/g, 'retry in N s')
        .replace(/"retryAfterSeconds":\d+/g, '"retryAfterSeconds":0')
        .replace(/"(retry-after|ratelimit-reset)":"\d+"/g, '"$1":"N"');
    expect(normalised(fromFastPath)).toEqual(normalised(fromAdapter));
  });

  const passedOn: Array<[string, string, RequestInit | 'read key', number]> = [
    ['a mutation over GET', 'events.ingest', {}, 405],
    ['an unknown procedure', 'analytics.nothing', {}, 404],
    ['malformed input JSON', 'analytics.summary?input=%7Bnope', 'read key', 400],
    ['a batch whose input is not an object', `analytics.summary?batch=1&${query([RANGE])}`, 'read key', 400],
    ['a streaming batch (httpBatchStreamLink)', 'system.info?batch=1', { headers: { 'trpc-accept': 'application/jsonl' } }, 200],
    ['a POST without a body', 'system.info', { method: 'POST' }, 415],
  ];

  it.each(passedOn)('passes %s on to the adapter', async (_name, path, requestInit, adapterStatus) => {
    const init = requestInit === 'read key' ? bearer(await freshReadKey()) : requestInit;
    expect((await ask(fast, path, init)).status).toBe(PASSED_ON);
    expect((await ask(standard, path, init)).status).toBe(adapterStatus);
  });
});
