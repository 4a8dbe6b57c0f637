import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventRepository } from '../repositories/event-repository.ts';
import { generateDemoEvents } from '../services/demo-events.ts';
import { startChaosServer, type ChaosServer } from '../test/chaos-server.ts';

// A real server process gets twice the load it can sustain: half ingestion (critical), half exports of the
// event log (sheddable, and far heavier). Admission control must keep ingestion succeeding while exports
// get fast 503s with Retry-After.

const MEASURE_MS = 3_000;
const OVERLOAD_MS = 5_000;
// Few enough that the measurement itself never trips admission control (4 exports fit its sheddable share).
const CLOSED_LOOP_WORKERS = 4;

let chaos: ChaosServer;

beforeAll(async () => {
  chaos = await startChaosServer({
    label: 'overload',
    env: {
      SHED_MAX_IN_FLIGHT: '48',
      RATE_LIMITS: JSON.stringify({ pro: { read: 1_000_000, ingest: 100_000_000 } }),
    },
  });
  const { runtime, tenant } = chaos;
  const rows = generateDemoEvents({ tenantId: tenant.id, tenantSlug: tenant.slug, users: 50, events: 10_000, days: 3, now: new Date(), seed: 5 });
  await new EventRepository(runtime.pool).insertMany(rows);
}, 60_000);

afterAll(() => chaos?.close());

type Kind = 'critical' | 'sheddable';
interface Outcome {
  kind: Kind;
  status: number;
  ms: number;
  retryAfter: string | null;
}

async function send(kind: Kind): Promise<Outcome> {
  const { server, tenant } = chaos;
  const started = performance.now();
  const response =
    kind === 'critical'
      ? await fetch(`${server.url}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': tenant.keys.ingest },
          body: JSON.stringify({
            batch: Array.from({ length: 20 }, (_, i) => ({
              type: 'track',
              event: 'overload',
              userId: `u${i}`,
              messageId: randomBytes(9).toString('base64url'),
            })),
          }),
          signal: AbortSignal.timeout(15_000),
        })
      : await fetch(`${server.url}/trpc/events.export?input=${encodeURIComponent(JSON.stringify({ limit: 500 }))}`, {
          headers: { authorization: `Bearer ${tenant.keys.read}` },
          signal: AbortSignal.timeout(15_000),
        });
  await response.arrayBuffer();
  return { kind, status: response.status, ms: performance.now() - started, retryAfter: response.headers.get('retry-after') };
}

/** Requests per second the server sustains for this mix, with a few callers waiting for each answer. */
async function sustainableRate(): Promise<{ perSecond: number; refused: number }> {
  let completed = 0;
  let refused = 0;
  const deadline = Date.now() + MEASURE_MS;
  await Promise.all(
    Array.from({ length: CLOSED_LOOP_WORKERS }, async (_, worker) => {
      for (let i = worker; Date.now() < deadline; i += 1) {
        const outcome = await send(i % 2 === 0 ? 'critical' : 'sheddable');
        if (outcome.status === 200) completed += 1;
        else refused += 1;
      }
    }),
  );
  return { perSecond: completed / (MEASURE_MS / 1_000), refused };
}

/** Opens requests at a fixed rate whatever the answers do (as independent clients would), alternating kinds. */
async function openLoop(ratePerSecond: number): Promise<Outcome[]> {
  const pending: Array<Promise<Outcome>> = [];
  const intervalMs = 1_000 / ratePerSecond;
  const started = performance.now();
  for (let i = 0; performance.now() - started < OVERLOAD_MS; i += 1) {
    pending.push(send(i % 2 === 0 ? 'critical' : 'sheddable'));
    const nextAt = started + (i + 1) * intervalMs;
    // Pacing is the point: requests open at the rate under test, whatever the answers do.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextAt - performance.now())));
  }
  return Promise.all(pending);
}

const countBy = (values: number[]) => values.reduce<Record<number, number>>((counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }), {});
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

it('at twice the sustainable load, ingestion succeeds ≥ 99% while exports get fast 503s', async () => {
  const { perSecond: sustainable, refused } = await sustainableRate();
  expect(refused).toBe(0);
  expect(sustainable).toBeGreaterThan(0);
  const outcomes = await openLoop(2 * sustainable);

  const critical = outcomes.filter((outcome) => outcome.kind === 'critical');
  const sheddable = outcomes.filter((outcome) => outcome.kind === 'sheddable');
  const shed = sheddable.filter((outcome) => outcome.status === 503);
  const servedExports = sheddable.filter((outcome) => outcome.status === 200);
  const report = {
    sustainablePerSecond: Math.round(sustainable),
    offeredPerSecond: Math.round(2 * sustainable),
    criticalStatuses: countBy(critical.map((outcome) => outcome.status)),
    critical: {
      sent: critical.length,
      ok: critical.filter((outcome) => outcome.status === 200).length,
      p99Ms: Math.round(
        percentile(
          critical.map((o) => o.ms),
          99,
        ),
      ),
    },
    sheddable: {
      sent: sheddable.length,
      shed: shed.length,
      served: servedExports.length,
      shedP50Ms: shed.length
        ? Math.round(
            percentile(
              shed.map((o) => o.ms),
              50,
            ),
          )
        : null,
      servedP50Ms: servedExports.length
        ? Math.round(
            percentile(
              servedExports.map((o) => o.ms),
              50,
            ),
          )
        : null,
    },
  };
  console.log('overload:', JSON.stringify(report));

  expect(report.critical.ok / report.critical.sent).toBeGreaterThanOrEqual(0.99);
  expect(sheddable.every((outcome) => outcome.status === 200 || outcome.status === 503)).toBe(true);
  expect(shed.length).toBeGreaterThan(0);
  expect(shed.every((outcome) => outcome.retryAfter === '1')).toBe(true);
  // Fast: a typical refusal takes well under half as long as a typical served export.
  expect(report.sheddable.shedP50Ms!).toBeLessThan(report.sheddable.servedP50Ms! / 2);

  const metrics = await (await fetch(`${chaos.server.url}/metrics`)).text();
  expect(metrics).toMatch(/^pulse_shed_total\{criticality="sheddable"\} [1-9]\d*$/m);
  expect(metrics).toMatch(/^pulse_shed_total\{criticality="critical"\} 0$/m);
}, 60_000);
