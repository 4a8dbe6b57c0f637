import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_LIMITS } from '@pulse/shared/ingest';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestTenant } from '../test/test-tenant.ts';

let runtime: Runtime;
let server: { url: string; close(): Promise<void> };
let tenant: TestTenant;

beforeAll(async () => {
  runtime = await startTestRuntime();
  server = await startTestServer(runtime);
  tenant = await createTestTenant(runtime, 'segment');
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

async function post(path: string, body: unknown, headers: Record<string, string> = { authorization: basic(tenant.keys.ingest) }) {
  const response = await fetch(`${server.url}/v1/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function storedEvent(messageId: string) {
  const { rows } = await runtime.pool.query('SELECT name, ts, properties FROM events WHERE tenant_id = $1 AND message_id = $2', [tenant.id, messageId]);
  return rows[0] as { name: string; ts: Date; properties: Record<string, unknown> } | undefined;
}

const event = (messageId: string, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'signup',
  userId: 'u-1',
  messageId,
  timestamp: new Date().toISOString(),
  ...extra,
});

describe('authentication', () => {
  it('takes the write key as the HTTP Basic user name, as Segment SDKs send it', async () => {
    expect((await post('batch', { batch: [event('auth-basic')] })).status).toBe(200);
  });

  it('takes Authorization: Bearer and X-Api-Key', async () => {
    expect((await post('batch', { batch: [event('auth-bearer')] }, { authorization: `Bearer ${tenant.keys.ingest}` })).status).toBe(200);
    expect((await post('batch', { batch: [event('auth-header')] }, { 'x-api-key': tenant.keys.ingest })).status).toBe(200);
  });

  it('401 for a missing or unknown key, and nothing is stored', async () => {
    const missing = await post('batch', { batch: [event('auth-none')] }, {});
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('UNAUTHORIZED');
    expect((await post('batch', { batch: [event('auth-bad')] }, { authorization: basic('pk_ingest_nope') })).status).toBe(401);
    expect(await storedEvent('auth-none')).toBeUndefined();
  });

  it('403 for a read-only key', async () => {
    const { status, body } = await post('batch', { batch: [event('auth-read')] }, { authorization: basic(tenant.keys.read) });
    expect(status).toBe(403);
    expect(body.error.message).toMatch(/only a key with scope "ingest" or "admin" .*may send events/);
  });
});

describe('POST /v1/batch', () => {
  it('stores the good events and reports each bad one by index with a code', async () => {
    const { status, body } = await post('batch', {
      batch: [
        event('mixed-ok'),
        event('mixed-future', { timestamp: new Date(Date.now() + 3 * 86_400_000).toISOString() }),
        event('mixed-old', { timestamp: new Date(Date.now() - 400 * 86_400_000).toISOString() }),
        event('mixed-proto', { properties: JSON.parse('{"__proto__": {"admin": true}}') }),
        event('mixed-deep', { properties: { a: { b: { c: { d: { e: { f: 1 } } } } } } }),
        event('mixed-big', { properties: { blob: 'x'.repeat(INGEST_LIMITS.maxEventBytes) } }),
        { type: 'track', userId: 'u-1' },
      ],
    });
    expect(status).toBe(200);
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [1, 'FUTURE_TIMESTAMP'],
      [2, 'TOO_OLD'],
      [3, 'INVALID_EVENT'],
      [4, 'INVALID_EVENT'],
      [5, 'EVENT_TOO_LARGE'],
      [6, 'INVALID_EVENT'],
    ]);
    expect(body.rejected[2].message).toMatch(/"__proto__" is not allowed/);
    expect(body.rejected[3].message).toMatch(/nested deeper than 5 levels/);
    expect(body.rejected[4].message).toMatch(/the limit is 32,768/);
    for (const id of ['mixed-future', 'mixed-old', 'mixed-proto', 'mixed-deep', 'mixed-big']) expect(await storedEvent(id)).toBeUndefined();
  });

  it('a retried batch changes nothing', async () => {
    const batch = [event('retry-1'), event('retry-2')];
    expect((await post('batch', { batch })).body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect((await post('batch', { batch })).body).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
  });

  it('corrects client clock skew with sentAt: ts = receivedAt − (sentAt − timestamp)', async () => {
    // A client whose clock runs two days fast sent an event that happened one minute before sending.
    const skewMs = 2 * 86_400_000;
    const clientNow = Date.now() + skewMs;
    const before = Date.now();
    await post('batch', {
      batch: [event('skewed', { timestamp: new Date(clientNow - 60_000).toISOString() })],
      sentAt: new Date(clientNow).toISOString(),
    });
    const stored = await storedEvent('skewed');
    expect(stored!.ts.getTime()).toBeGreaterThanOrEqual(before - 60_000 - 1_000);
    expect(stored!.ts.getTime()).toBeLessThanOrEqual(Date.now() - 60_000 + 1_000);
  });

  it('400 with the position for malformed JSON, and never a 500', async () => {
    const { status, body } = await post('batch', '{"batch": [{"type": "track",,}]}');
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/^malformed JSON: .*position \d+/);
  });

  it('400 when the envelope is wrong or nothing in it is usable', async () => {
    expect((await post('batch', { events: [] })).body.error.message).toMatch(/batch/);
    const { status, body } = await post('batch', { batch: [{ type: 'track', userId: 'u-1' }] });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/no event in the batch could be stored; event 0: event: a track event needs an "event" name/);
  });

  it('413 when the request is larger than 500 KB', async () => {
    const batch = Array.from({ length: 40 }, (_, i) => event(`huge-${i}`, { properties: { blob: 'x'.repeat(15_000) } }));
    const { status, body } = await post('batch', { batch });
    expect(status).toBe(413);
    expect(body.error.message).toMatch(/larger than 500 KB/);
    expect(await storedEvent('huge-0')).toBeUndefined();
  });
});

describe('single-event endpoints', () => {
  it('/v1/track, /v1/page and /v1/identify store one event of their type', async () => {
    const timestamp = new Date().toISOString();
    expect((await post('track', { event: 'purchase', userId: 'u-2', messageId: 'single-track', timestamp })).body.accepted).toBe(1);
    expect((await post('page', { anonymousId: 'a-1', messageId: 'single-page', timestamp, context: { page: { path: '/pricing' } } })).body.accepted).toBe(1);
    expect((await post('identify', { userId: 'u-2', messageId: 'single-identify', traits: { plan: 'pro' } })).body.accepted).toBe(1);
    expect((await storedEvent('single-track'))?.name).toBe('purchase');
    expect((await storedEvent('single-page'))?.name).toBe('page_view');
    expect((await storedEvent('single-identify'))?.properties).toEqual({ traits: { plan: 'pro' } });
  });
});
