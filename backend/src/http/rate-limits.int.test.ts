import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { rateLimitsWith } from '../services/rate-limit-plans.ts';
import '../test/provided-context.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';

// Three real server processes share PostgreSQL and Redis. A key limited to 100 reads a minute must get
// exactly 100 through in total, whichever instances its requests reach, and headers a caller can set
// (forwarded addresses, tenant ids) must change nothing.
const READ_LIMIT = 100;
const UNAUTHENTICATED_LIMIT = 10;

let runtime: Runtime;
let tenant: TestTenant;
let servers: ServerProcess[] = [];

beforeAll(async () => {
  runtime = await startTestRuntime();
  tenant = await createTestTenant(runtime, 'rate-limits');
  const env = {
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: `pulse-limits:${randomBytes(4).toString('hex')}:`,
    RATE_LIMITS: JSON.stringify({ pro: { read: READ_LIMIT } }),
    RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: String(UNAUTHENTICATED_LIMIT),
    RATE_LIMIT_INSTANCES: '3',
    // A burst of 150 requests on a busy test machine must meet the rate limit, not load shedding.
    SHED_EVENT_LOOP_DELAY_MS: '60000',
  };
  servers = await Promise.all([1, 2, 3].map(() => startServerProcess(env)));
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await runtime?.close();
});

const randomAddress = () => Array.from(randomBytes(4)).join('.');

/** Headers any caller can send, each time different: none of them may move a limit or pick a tenant. */
function spoofedHeaders(): Record<string, string> {
  const address = randomAddress();
  return {
    'x-forwarded-for': `${address}, ${randomAddress()}`,
    'x-real-ip': address,
    forwarded: `for=${address}`,
    'x-tenant-id': String(tenant.id + 1),
    'x-tenant': 'someone-else',
  };
}

interface Answer {
  status: number;
  headers: Headers;
  body: { result?: { data: { tenant: { slug: string } } }; error?: { message: string; data: { retryAfterSeconds?: number } } };
}

async function whoAmI(server: ServerProcess, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${server.url}/trpc/auth.whoAmI`, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

describe('with 3 instances sharing Redis', () => {
  it(`lets exactly ${READ_LIMIT} reads of a key through per window in total, with correct headers`, async () => {
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, i) => whoAmI(servers[i % 3]!, { ...spoofedHeaders(), authorization: `Bearer ${tenant.keys.read}` })),
    );
    const statuses = answers.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
    expect(statuses).toEqual({ 200: READ_LIMIT, 429: 50 });
    const allowed = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 429);

    // Every allowed answer names the key's own tenant and says how much is left: each count exactly once.
    expect(allowed.every((answer) => answer.body.result!.data.tenant.slug === tenant.slug)).toBe(true);
    expect(allowed.every((answer) => answer.headers.get('ratelimit-limit') === String(READ_LIMIT))).toBe(true);
    const remaining = allowed.map((answer) => Number(answer.headers.get('ratelimit-remaining'))).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: READ_LIMIT }, (_, i) => i));

    for (const answer of refused) {
      const retryAfter = Number(answer.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(answer.headers.get('ratelimit-reset')).toBe(String(retryAfter));
      expect(answer.headers.get('ratelimit-remaining')).toBe('0');
      expect(answer.body.error!.data.retryAfterSeconds).toBe(retryAfter);
      expect(answer.body.error!.message).toMatch(/^read limit of 100 requests per minute \(pro plan\) reached; retry in \d+ s$/);
    }
  });

  it('limits requests without a valid key by connection address; forged forwarding headers get no new budget', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < UNAUTHENTICATED_LIMIT + 5; i += 1) {
      answers.push(await whoAmI(servers[i % 3]!, { ...spoofedHeaders(), authorization: `Bearer pk_read_guess${i}` }));
    }
    expect(answers.slice(0, UNAUTHENTICATED_LIMIT).map((answer) => answer.status)).toEqual(Array(UNAUTHENTICATED_LIMIT).fill(401));
    expect(answers.slice(UNAUTHENTICATED_LIMIT).map((answer) => answer.status)).toEqual(Array(5).fill(429));
    expect(answers[0]!.headers.get('ratelimit-remaining')).toBe(String(UNAUTHENTICATED_LIMIT - 1));
  });
});

describe('behind a trusted proxy (TRUST_PROXY)', () => {
  let trusted: TestServer;
  let trustedRuntime: Runtime;

  beforeAll(async () => {
    trustedRuntime = await startTestRuntime({
      REDIS_KEY_PREFIX: `pulse-limits:${randomBytes(4).toString('hex')}:`,
      RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: 2,
      RATE_LIMITS: rateLimitsWith({ pro: { ingest: 1_000 } }),
    });
    trusted = await startTestServer(trustedRuntime, { trustProxy: 'loopback' });
  });

  afterAll(async () => {
    await trusted?.close();
    await trustedRuntime?.close();
  });

  it('counts callers without a key by the address the proxy forwarded', async () => {
    const statusFrom = async (address: string) => (await fetch(`${trusted.url}/trpc/auth.whoAmI`, { headers: { 'x-forwarded-for': address } })).status;
    expect([await statusFrom('198.51.100.1'), await statusFrom('198.51.100.1'), await statusFrom('198.51.100.1')]).toEqual([401, 401, 429]);
    expect(await statusFrom('198.51.100.2')).toBe(401);
  });

  it("counts the events of a Segment batch against the key's ingest limit", async () => {
    const send = (events: number) =>
      fetch(`${trusted.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': tenant.keys.ingest },
        body: JSON.stringify({
          batch: Array.from({ length: events }, () => ({ type: 'track', event: 'limited', userId: 'u', messageId: randomBytes(8).toString('hex') })),
        }),
      });
    const first = await send(600);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-remaining')).toBe('400');
    const second = await send(600);
    expect(second.status).toBe(429);
    expect(((await second.json()) as { error: { message: string } }).error.message).toMatch(/^ingest limit of 1,000 events per minute \(pro plan\) reached/);
    expect((await send(400)).headers.get('ratelimit-remaining')).toBe('0');
  });
});
