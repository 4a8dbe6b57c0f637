import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { INGEST_LIMITS, MAX_EVENT_DEPTH, type TIngestBatchResponse } from '@pulse/shared/ingest';
import { rateLimitsWith } from './rate-limit-plans.ts';
import type { Runtime } from '../runtime.ts';
import { rollupDisagreements } from '../test/rollup-consistency.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';

// Storable by construction: an event at any documented limit (longest strings in any script, deepest nesting,
// most properties, longest ids) is stored and rolled up, never refused by PostgreSQL. Random text in multibyte
// scripts, because PostgreSQL compresses repetitive text: only incompressible values reach its index row limit.

const SEED = Number(process.env.FC_SEED ?? 20_261_203);
const UNLIMITED = 1_000_000_000;

let runtime: Runtime;
let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  runtime = await startTestRuntime({
    REDIS_KEY_PREFIX: `${inject('redisKeyPrefix')}limits:`,
    RATE_LIMITS: rateLimitsWith({ pro: { ingest: UNLIMITED } }),
    SHED_MAX_IN_FLIGHT: 100_000,
  });
  server = await startTestServer(runtime);
  tenant = await createTestTenant(runtime, 'limits');
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

/** Scripts by the bytes a character takes in UTF-8 (astral ones take two UTF-16 units, so fewer fit a limit). */
const SCRIPTS = {
  latin: [0x21, 0x7e],
  greek: [0x391, 0x3c9],
  cjk: [0x4e00, 0x9fff],
  emoji: [0x1f300, 0x1f5ff],
} as const;
type Script = keyof typeof SCRIPTS;

/** Random (so incompressible) text of `length` characters (code points, as the limits count them) from one script. */
function text(script: Script, length: number, random: () => number): string {
  const [low, high] = SCRIPTS[script];
  return Array.from({ length }, () => String.fromCodePoint(low + Math.floor(random() * (high - low + 1)))).join('');
}

/** Properties nested to the documented depth, with the longest keys. */
function deepest(script: Script, random: () => number): Record<string, unknown> {
  let value: unknown = text(script, 100, random);
  for (let level = 1; level < INGEST_LIMITS.maxPropertyDepth; level += 1) value = { [text(script, INGEST_LIMITS.maxPropertyKeyLength, random)]: value };
  return { deep: value };
}

const limitFields = [
  'name',
  'ids',
  'sessionInProperties',
  'page',
  'pathInProperties',
  'userAgentAndDevice',
  'longestString',
  'deepest',
  'mostProperties',
] as const;
type LimitField = (typeof limitFields)[number];

/**
 * An event with the chosen fields at their limits, in one script. Fields are added in the order given while the
 * event stays within the 32 KB an event may have, so every event built is one the API documents as valid.
 */
function eventAtLimits(script: Script, fields: readonly LimitField[], type: 'track' | 'page' | 'identify', seed: number): Record<string, unknown> {
  let state = seed;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const id = randomBytes(8).toString('hex');
  const event: Record<string, unknown> = {
    type,
    ...(type === 'track' ? { event: 'limits' } : {}),
    // Unique, and at the 100-character limit whatever the script.
    messageId: `${id}-${text(script, 100 - id.length - 1, random)}`,
    userId: `u-${id}`,
    context: {} as Record<string, unknown>,
    properties: {} as Record<string, unknown>,
  };
  const context = event.context as Record<string, unknown>;
  const properties = event.properties as Record<string, unknown>;
  const fits = () => Buffer.byteLength(JSON.stringify(event)) <= INGEST_LIMITS.maxEventBytes;
  const tryAdding = (add: () => void, undo: () => void) => {
    add();
    if (!fits()) undo();
  };
  const idText = () => text(script, INGEST_LIMITS.maxIdLength, random);
  for (const field of fields) {
    switch (field) {
      case 'name':
        if (type === 'track')
          tryAdding(
            () => (event.event = idText()),
            () => (event.event = 'limits'),
          );
        break;
      case 'ids': {
        const before = { userId: event.userId, anonymousId: event.anonymousId };
        tryAdding(
          () => Object.assign(event, { userId: `${id}${text(script, INGEST_LIMITS.maxIdLength - id.length, random)}`, anonymousId: idText() }),
          () => Object.assign(event, before),
        );
        tryAdding(
          () => (context.sessionId = idText()),
          () => delete context.sessionId,
        );
        break;
      }
      case 'sessionInProperties':
        tryAdding(
          () => (properties.sessionId = idText()),
          () => delete properties.sessionId,
        );
        break;
      case 'page':
        tryAdding(
          () =>
            (context.page = {
              path: `/${text(script, 2047, random)}`,
              referrer: text(script, 2048, random),
              url: text(script, 2048, random),
              title: text(script, 500, random),
            }),
          () => delete context.page,
        );
        break;
      case 'pathInProperties':
        tryAdding(
          () => (properties.path = `/${text(script, INGEST_LIMITS.maxPropertyStringLength - 1, random)}`),
          () => delete properties.path,
        );
        tryAdding(
          () => (properties.referrer = text(script, INGEST_LIMITS.maxPropertyStringLength, random)),
          () => delete properties.referrer,
        );
        break;
      case 'userAgentAndDevice':
        tryAdding(
          () => Object.assign(context, { userAgent: text(script, 1024, random), device: { type: idText() }, location: { country: idText() } }),
          () => Object.assign(context, { userAgent: undefined, device: undefined, location: undefined }),
        );
        break;
      case 'longestString':
        tryAdding(
          () => (properties.longest = text(script, INGEST_LIMITS.maxPropertyStringLength, random)),
          () => delete properties.longest,
        );
        break;
      case 'deepest':
        tryAdding(
          () => Object.assign(properties, deepest(script, random)),
          () => delete properties.deep,
        );
        break;
      case 'mostProperties':
        // As many properties with the longest keys as the event's size allows.
        for (let index = 0; ; index += 1) {
          const key = `${index}-${text(script, INGEST_LIMITS.maxPropertyKeyLength - 8, random)}`;
          properties[key] = index;
          if (!fits()) {
            delete properties[key];
            break;
          }
        }
        break;
    }
  }
  return JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
}

const eventArbitrary = fc.record({
  script: fc.constantFrom<Script>('latin', 'greek', 'cjk', 'emoji'),
  fields: fc.shuffledSubarray([...limitFields], { minLength: 1 }),
  type: fc.constantFrom('track', 'page', 'identify'),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});

it('stores and rolls up every event at the documented limits, in any script', async () => {
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(eventArbitrary, { minLength: 1, maxLength: 8 }), async (specs) => {
      const batch = specs.map(({ script, fields, type, seed }) => eventAtLimits(script, fields, type, seed));
      const what = specs.map(({ script, fields, type }) => `${type} ${script} [${fields.join(', ')}]`).join('; ');
      const response = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': tenant.keys.ingest },
        body: JSON.stringify({ batch }),
      });
      const answer = (await response.json()) as TIngestBatchResponse;
      expect(response.status, `${what}: ${JSON.stringify(answer).slice(0, 500)}`).toBe(200);
      expect(answer.rejected, what).toEqual([]);
      expect(answer.accepted, what).toBe(batch.length);
      sent += batch.length;
    }),
    { numRuns: 60, seed: SEED, endOnFailure: true },
  );

  const { rows } = await runtime.pool.query<{ events: number }>('SELECT count(*)::int AS events FROM events WHERE tenant_id = $1', [tenant.id]);
  expect(rows[0]!.events).toBe(sent);
  expect(await rollupDisagreements(runtime.pool, tenant.id)).toEqual([]);
  // The documented bound holds where the values are index keys.
  const { rows: widest } = await runtime.pool.query<{ bytes: number }>(
    `SELECT max(octet_length(value))::int AS bytes FROM rollup_dimension_day WHERE tenant_id = $1`,
    [tenant.id],
  );
  expect(widest[0]!.bytes).toBeLessThanOrEqual(INGEST_LIMITS.maxDimensionBytes);
  expect(widest[0]!.bytes).toBeGreaterThan(INGEST_LIMITS.maxDimensionBytes - 4);
});

it('refuses, one by one and saying why, events just past a limit', async () => {
  const random = () => 0.5;
  const base = { type: 'track', event: 'past-limits', userId: 'u-past' };
  const batch = [
    { ...base, properties: { sessionId: text('cjk', INGEST_LIMITS.maxIdLength + 1, random) } },
    { ...base, userId: text('emoji', INGEST_LIMITS.maxIdLength + 1, random) },
    { ...base, properties: { s: text('latin', INGEST_LIMITS.maxPropertyStringLength + 1, random) } },
    { ...base, properties: deepest('latin', random), context: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } },
    { ...base, messageId: `past-limits-ok-${randomBytes(4).toString('hex')}` },
  ];
  expect(MAX_EVENT_DEPTH).toBeGreaterThan(INGEST_LIMITS.maxPropertyDepth);
  const response = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': tenant.keys.ingest },
    body: JSON.stringify({ batch }),
  });
  const answer = (await response.json()) as TIngestBatchResponse;
  expect(response.status).toBe(200);
  expect(answer.accepted, JSON.stringify(answer)).toBe(1);
  expect(answer.rejected.map((rejection) => rejection.index)).toEqual([0, 1, 2, 3]);
  expect(answer.rejected[0]!.message).toMatch(/session id .* 1 to 200 characters/);
});
