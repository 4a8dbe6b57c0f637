import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, inject, it, vi } from 'vitest';
import { ZHealth, type THealth } from '@pulse/shared/system';
import type { TIngestBatchResponse } from '@pulse/shared/ingest';
import type { Runtime } from '../runtime.ts';
import { startChaosServer, type ChaosServer } from '../test/chaos-server.ts';
import { createTestTenant, type TestTenant } from '../test/test-tenant.ts';

// A noisy neighbour on ingestion. Tenant B sends, as fast as it is answered, what validation still lets through
// (events at every limit, in multibyte scripts), events validation refuses, and events PostgreSQL itself refuses
// (a trigger the test adds fails B's "poison-…" rows with a data exception, as a value PostgreSQL cannot take
// would). Meanwhile tenant A ingests steadily, first with PostgreSQL up, then through a cut. A must never see a
// 5xx, every event A was acknowledged is stored exactly once, and the dead-letter stream holds only B's events,
// which come back with `npm run dead-letters -- --replay` once the cause is gone.

const REDIS_KEY_PREFIX = `${inject('redisKeyPrefix')}noisy-ingest-${randomBytes(3).toString('hex')}:`;
const A_SENDERS = 2;
const B_SENDERS = 4;

let chaos: ChaosServer;
let runtime: Runtime;
let tenantA: TestTenant;
let tenantB: TestTenant;
let redis: Redis;

beforeAll(async () => {
  chaos = await startChaosServer({
    label: 'noisy-a',
    behindProxy: 'postgres',
    env: {
      REDIS_KEY_PREFIX,
      DB_POOL_SIZE: '4',
      PG_WRITE_TIMEOUT_MS: '1000',
      BREAKER_RESET_TIMEOUT_MS: '1000',
      SPOOL_DRAIN_INTERVAL_MS: '200',
    },
  });
  runtime = chaos.runtime;
  tenantA = chaos.tenant;
  tenantB = await createTestTenant(runtime, 'noisy-b');
  redis = new Redis(inject('redisUrl'));
  // The injected fault: PostgreSQL refuses B's poison rows (and only those) with a data exception.
  await runtime.pool.query(`
    CREATE OR REPLACE FUNCTION pulse_test_refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'injected: % is refused', NEW.message_id USING ERRCODE = '22023'; END $$`);
  await runtime.pool.query(`
    CREATE TRIGGER refuse_poison_${tenantB.id} BEFORE INSERT ON events FOR EACH ROW
    WHEN (NEW.tenant_id = ${tenantB.id} AND NEW.message_id LIKE 'poison-%') EXECUTE FUNCTION pulse_test_refuse_row()`);
});

afterAll(async () => {
  await runtime?.pool.query(`DROP TRIGGER IF EXISTS refuse_poison_${tenantB?.id} ON events`).catch(() => {});
  redis?.disconnect();
  await chaos?.close();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: TIngestBatchResponse & { error?: { message: string } };
}

async function send(tenant: TestTenant, batch: unknown[]): Promise<Answer> {
  const response = await fetch(`${chaos.server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': tenant.keys.ingest },
    body: JSON.stringify({ batch }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
}

const randomCjk = (length: number) => Array.from({ length }, () => String.fromCodePoint(0x4e00 + Math.floor(Math.random() * 20_000))).join('');

/** B's batch: poison rows PostgreSQL refuses, rows at the limits, rows validation refuses, and ordinary rows. */
function noisyBatch(sender: number, seq: number): unknown[] {
  const id = `${sender}-${seq}`;
  return [
    { type: 'track', event: 'poison', userId: 'b', messageId: `poison-${id}` },
    { type: 'page', userId: 'b', messageId: `b-long-${id}`, context: { page: { path: `/${randomCjk(2047)}`, referrer: randomCjk(2048) } } },
    { type: 'track', event: 'long', userId: 'b', messageId: `b-prop-${id}`, properties: { path: `/${randomCjk(8000)}` } },
    { type: 'track', event: 'invalid', userId: 'b', properties: { deep: { a: { b: { c: { d: { e: 1 } } } } } } },
    { type: 'track', event: 'ok', userId: 'b', messageId: `b-ok-${id}` },
  ];
}

/** Senders that run until `stopped()`; each answer is recorded, and A's acknowledged ids kept. */
function startSending(stopped: () => boolean) {
  const answersA: Answer[] = [];
  const answersB: Answer[] = [];
  const acknowledgedA = new Set<string>();
  let seqA = 0;
  const senderA = async () => {
    while (!stopped()) {
      const batch = Array.from({ length: 10 }, (_, i) => ({ type: 'track', event: 'steady', userId: `a${i}`, messageId: `a-${seqA}-${i}` }));
      seqA += 1;
      const answer = await send(tenantA, batch);
      answersA.push(answer);
      if (answer.status === 200) for (const event of batch) acknowledgedA.add(event.messageId);
    }
  };
  let seqB = 0;
  const senderB = async (sender: number) => {
    while (!stopped()) answersB.push(await send(tenantB, noisyBatch(sender, (seqB += 1))));
  };
  const done = Promise.all([...Array.from({ length: A_SENDERS }, senderA), ...Array.from({ length: B_SENDERS }, (_, i) => senderB(i))]);
  return { answersA, answersB, acknowledgedA, done };
}

async function health(): Promise<THealth> {
  return ZHealth.parse(await (await fetch(`${chaos.server.url}/health/ready`)).json());
}

const breaker = (status: THealth, dependency: string) => status.breakers.find((entry) => entry.dependency === dependency)!;

async function storedCopies(tenantId: number): Promise<Map<string, number>> {
  const { rows } = await runtime.pool.query<{ message_id: string; copies: number }>(
    'SELECT message_id, count(*)::int AS copies FROM events WHERE tenant_id = $1 GROUP BY message_id',
    [tenantId],
  );
  return new Map(rows.map((row) => [row.message_id, row.copies]));
}

/** The dead-letter stream's events, as the tenant and message id of each. */
async function deadLetterEvents(): Promise<Array<{ tenantId: number; messageId: string }>> {
  const entries = await redis.xrange(`${REDIS_KEY_PREFIX}{spool}:dead-letter`, '-', '+');
  return entries.flatMap(([, fields]) => JSON.parse(fields[fields.indexOf('payload') + 1]!) as Array<{ tenantId: number; messageId: string }>);
}

function expectOnlyOk(answers: Answer[], expectedPerBatch: number): void {
  expect(answers.length).toBeGreaterThan(0);
  for (const answer of answers) {
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.rejected).toEqual([]);
    expect(answer.body.accepted + answer.body.duplicates + (answer.body.queued ?? 0)).toBe(expectedPerBatch);
  }
}

it('with PostgreSQL up: B gets its own rejections, A commits every event, and no breaker opens', async () => {
  let stopped = false;
  const traffic = startSending(() => stopped);
  // Enough of B's poison to fail every shared flush it lands in, had the flush not been split.
  await vi.waitFor(() => expect(traffic.answersB.length).toBeGreaterThanOrEqual(60), { timeout: 30_000, interval: 50 });
  stopped = true;
  await traffic.done;

  expectOnlyOk(traffic.answersA, 10);
  for (const answer of traffic.answersB) {
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.accepted).toBe(3);
    expect(answer.body.rejected.map((rejection) => [rejection.index, rejection.code])).toEqual([
      [0, 'UNSTORABLE'],
      [3, 'INVALID_EVENT'],
    ]);
    expect(answer.body.rejected[0]!.message).toMatch(/SQLSTATE 22023.*injected/);
  }
  const status = await health();
  expect(breaker(status, 'postgres-write').opened).toBe(0);
  const stored = await storedCopies(tenantA.id);
  expect([...traffic.acknowledgedA].filter((id) => stored.get(id) !== 1)).toEqual([]);
  expect(await deadLetterEvents()).toEqual([]);
});

it("through a PostgreSQL cut: A is queued, then stored once; only B's refused events are set aside, and come back on replay", async () => {
  let stopped = false;
  const traffic = startSending(() => stopped);
  await vi.waitFor(() => expect(traffic.answersA.length).toBeGreaterThanOrEqual(10), { timeout: 30_000, interval: 50 });
  chaos.proxy!.cut();
  // The cut lasts until both tenants have had batches spooled while it was down.
  const queuedSoFar = (answers: Answer[]) => answers.filter((answer) => (answer.body.queued ?? 0) > 0).length;
  await vi.waitFor(
    () => {
      expect(queuedSoFar(traffic.answersA)).toBeGreaterThanOrEqual(10);
      expect(queuedSoFar(traffic.answersB)).toBeGreaterThanOrEqual(10);
    },
    { timeout: 30_000, interval: 50 },
  );
  chaos.proxy!.restore();
  const answeredAtRestore = traffic.answersA.length;
  await vi.waitFor(() => expect(traffic.answersA.length).toBeGreaterThanOrEqual(answeredAtRestore + 10), { timeout: 30_000, interval: 50 });
  stopped = true;
  await traffic.done;

  // A never saw a 5xx: its batches were committed or queued, whole.
  expectOnlyOk(traffic.answersA, 10);
  for (const answer of traffic.answersB) {
    expect(answer.status === 200 || (answer.status === 503 && answer.retryAfter !== null), JSON.stringify(answer.body)).toBe(true);
  }
  await vi.waitFor(async () => expect((await health()).spool?.depth).toBe(0), { timeout: 30_000, interval: 200 });

  const storedA = await storedCopies(tenantA.id);
  expect([...traffic.acknowledgedA].filter((id) => !storedA.has(id))).toEqual([]);
  expect([...storedA.values()].filter((copies) => copies > 1)).toEqual([]);

  // The dead-letter stream holds B's refused events and nothing else; the rest of their batches were stored.
  const deadLetters = await deadLetterEvents();
  expect(deadLetters.length).toBeGreaterThan(0);
  expect(deadLetters.filter((event) => event.tenantId !== tenantB.id || !event.messageId.startsWith('poison-'))).toEqual([]);
  const storedB = await storedCopies(tenantB.id);
  const queuedOkOfB = traffic.answersB.filter((answer) => (answer.body.queued ?? 0) > 0).length;
  expect([...storedB.keys()].filter((id) => id.startsWith('b-ok-')).length).toBeGreaterThanOrEqual(queuedOkOfB);

  // Visible: /metrics counts them, health calls them an incident.
  const metrics = await (await fetch(`${chaos.server.url}/metrics`)).text();
  expect(metrics).toMatch(new RegExp(`^pulse_dead_letter_events ${deadLetters.length}$`, 'm'));
  const incident = await health();
  expect(incident.status).toBe('degraded');
  expect(incident.spool?.deadLetters).toEqual({ entries: expect.any(Number), events: deadLetters.length });

  // Once the cause is gone, the documented command puts them back, and they are stored.
  await runtime.pool.query(`DROP TRIGGER refuse_poison_${tenantB.id} ON events`);
  const output = await runCommand(['run', '-s', 'dead-letters', '--', '--replay'], { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX });
  expect(output).toMatch(new RegExp(`Moved \\d+ dead letters \\(${deadLetters.length} events\\) back into the spool`));
  await vi.waitFor(
    async () => {
      const stored = await storedCopies(tenantB.id);
      expect(deadLetters.filter((event) => stored.get(event.messageId) !== 1)).toEqual([]);
    },
    { timeout: 30_000, interval: 200 },
  );
  expect((await health()).spool?.deadLetters).toEqual({ entries: 0, events: 0 });
}, 120_000);

function runCommand(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`npm ${args.join(' ')} exited ${code}: ${output}`))));
  });
}
