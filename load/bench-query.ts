// `npm run bench:query`: p50/p95 per analytics query over the benchmark dataset (built first if missing;
// DATASET_EVENTS, default 10,000,000 over 90 days), without the cache and cached, plus the same summary
// computed from raw rows in the same run. Writes docs/BENCHMARKS.md.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { loadConfig } from '@pulse/backend/config';
import { startRuntime } from '@pulse/backend/runtime';
import { markdownTable, writeBenchmarkSection } from './lib/benchmarks-doc.ts';
import { DASHBOARD_QUESTIONS } from './lib/dashboard-questions.ts';
import { INSIGHT_QUESTIONS, type InsightServices } from './lib/insight-questions.ts';
import { uncachedServices } from './lib/uncached-services.ts';
import { DATASET_DATABASE, ensureDataset } from './lib/dataset.ts';
import { percentile } from './lib/load-run.ts';
import { describeMachine } from './lib/machine.ts';

const DATASET_EVENTS = Number(process.env.DATASET_EVENTS ?? 10_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const RAW_ITERATIONS = 3;
/**
 * Unrecorded runs of each question before its measured ones: the first reads of a range come from disk, which a
 * running service rarely does, and made single slow runs the p95 of a whole row.
 */
const WARM_UP_RUNS = 2;
/** Filtered and insight questions read raw rows: fewer runs keep the benchmark within minutes. */
const INSIGHT_ITERATIONS = Number(process.env.BENCH_INSIGHT_ITERATIONS ?? 10);
const DAY_MS = 86_400_000;
const RANGE_DAYS = 30;

/** A 30-day range ending somewhere in the last 60 days, with ragged (non-aligned) edges. */
function randomRange(): { from: string; to: string } {
  const to = Date.now() - Math.floor(Math.random() * 60 * DAY_MS);
  return { from: new Date(to - RANGE_DAYS * DAY_MS).toISOString(), to: new Date(to).toISOString() };
}

async function timeMs(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const fmt = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const { url, tenantIds } = await ensureDataset(serverUrl, DATASET_EVENTS, 90, (message) => console.log(message));
  const runtime = await startRuntime({
    ...loadConfig({}),
    DATABASE_URL: url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `pulse-bench:${randomBytes(4).toString('hex')}:`,
  });
  try {
    // Steady state: start-up retention scans large tables, and would otherwise overlap the first queries.
    await runtime.maintenanceSettled();
    const tenantId = tenantIds[0]!;
    const machine = await describeMachine(runtime.pool);
    const services = uncachedServices(runtime.pool);
    const uncached = services.analytics;
    const cached = runtime.services.analytics;

    const results: Array<{ label: string; cold: number[]; warm: number[] | null }> = [];
    for (const { label, ask } of DASHBOARD_QUESTIONS) {
      const cold: number[] = [];
      for (let i = 0; i < WARM_UP_RUNS; i += 1) await ask(uncached, tenantId, randomRange());
      for (let i = 0; i < ITERATIONS; i += 1) {
        const range = randomRange();
        cold.push(await timeMs(() => ask(uncached, tenantId, range)));
      }
      const warmRange = randomRange();
      await ask(cached, tenantId, warmRange);
      const warm: number[] = [];
      for (let i = 0; i < ITERATIONS; i += 1) warm.push(await timeMs(() => ask(cached, tenantId, warmRange)));
      results.push({ label, cold, warm });
      console.log(`${label}: p95 ${fmt(percentile(cold, 95))} without cache`);
    }
    const listTimes: number[] = [];
    for (let i = 0; i < WARM_UP_RUNS; i += 1) await runtime.services.eventQueries.list(tenantId, { name: 'purchase', limit: 50 });
    for (let i = 0; i < ITERATIONS; i += 1) {
      listTimes.push(await timeMs(() => runtime.services.eventQueries.list(tenantId, { name: 'purchase', limit: 50 })));
    }
    results.push({ label: 'events.list, first page, filtered by name', cold: listTimes, warm: null });
    const rows = results.map(({ label, cold, warm }) => [
      label,
      fmt(percentile(cold, 50)),
      fmt(percentile(cold, 95)),
      warm ? fmt(percentile(warm, 50)) : '—',
      warm ? fmt(percentile(warm, 95)) : '—',
    ]);

    // What a rollup-less design does for the same summary: scan 30 days of raw rows.
    const rawTimes: number[] = [];
    for (let i = 0; i < RAW_ITERATIONS; i += 1) {
      const range = randomRange();
      rawTimes.push(
        await timeMs(() =>
          runtime.pool.query(
            `SELECT name, count(*), count(DISTINCT coalesce(user_id, anonymous_id)), count(DISTINCT session_id)
               FROM events WHERE tenant_id = $1 AND ts >= $2 AND ts < $3 GROUP BY name`,
            [tenantId, range.from, range.to],
          ),
        ),
      );
    }
    const summaryP50 = percentile(results[0]!.cold, 50);
    const rawP50 = percentile(rawTimes, 50);
    const { rows: counted } = await runtime.pool.query<{ count: string }>('SELECT count(*) FROM events WHERE tenant_id = $1', [tenantId]);
    console.log(`raw-row summary p50 ${fmt(rawP50)} (${(rawP50 / summaryP50).toFixed(0)}× the rollup summary)`);

    const insightRows = await measureInsights(services, runtime.pool, tenantId);

    const storage = await valueRollupStorage(runtime.pool);

    const p95Of = (label: string) => percentile(results.find((result) => result.label === label)!.cold, 95);
    const targetLabels = ['analytics.summary (with previous period)', 'analytics.timeseries, day, UTC', 'analytics.topPages'];
    const met = targetLabels.every((label) => p95Of(label) < 100);
    const doc = await writeBenchmarkSection(
      'bench:query',
      `## Analytics queries — \`npm run bench:query\`

Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}. Dataset: ${DATASET_EVENTS.toLocaleString('en-US')}
events over 90 days for two tenants (\`npm run dataset\`, database \`${DATASET_DATABASE}\`); the queried tenant
holds ${Number(counted[0]!.count).toLocaleString('en-US')}. Each query covers ${RANGE_DAYS} days with ragged edges; "no cache" uses a
different random range on each of ${ITERATIONS} runs (after ${WARM_UP_RUNS} unrecorded ones), "cached" repeats one range (Redis).

${markdownTable(['query', 'no cache p50', 'no cache p95', 'cached p50', 'cached p95'], rows)}

- The same 30-day summary from raw rows (what a design without rollups does): p50 ${fmt(rawP50)}, **${(rawP50 / summaryP50).toFixed(0)}×**
  the rollup-based summary in the same run.
- Target (issue 3): summary, timeseries and top pages for 30 days at p95 < 100 ms without the cache — ${met ? 'met' : '**not met**'}.

Filtered and insight questions (issue 19), without the cache, ${INSIGHT_ITERATIONS} random ${RANGE_DAYS}-day ranges each (after ${WARM_UP_RUNS} unrecorded); "plain scan" answers the
same question from the raw rows with one plain SQL statement per period (what a design without rollups does), ${RAW_ITERATIONS} runs:

${markdownTable(['question', 'p50', 'p95', 'plain scan p50', 'plain scan ÷ Pulse (p50)', 'target p95'], insightRows)}

The filtered summaries and the property breakdown read value rollups for the whole days of their range (docs/ARCHITECTURE.md,
"Filtered questions"). Their size in this dataset: ${storage.valueRollupMb.toFixed(0)} MB, ${storage.bytesPerEvent.toFixed(1)} bytes per event
(the events table with its indexes: ${storage.eventsMb.toFixed(0)} MB).`,
    );
    console.log(`wrote ${doc}`);
  } finally {
    await runtime.close();
  }
}

/** The value rollup tables' size, beside the events table's (partitions and indexes included). */
async function valueRollupStorage(pool: pg.Pool): Promise<{ valueRollupMb: number; eventsMb: number; bytesPerEvent: number }> {
  const { rows } = await pool.query<{ value_rollups: string; events: string; count: string }>(
    `SELECT (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relkind = 'r' AND c.relname LIKE 'value\\_rollup\\_%') AS value_rollups,
            (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('events')) AS events,
            (SELECT count(*) FROM events) AS count`,
  );
  const valueRollupBytes = Number(rows[0]!.value_rollups);
  return {
    valueRollupMb: valueRollupBytes / 1_048_576,
    eventsMb: Number(rows[0]!.events) / 1_048_576,
    bytesPerEvent: valueRollupBytes / Number(rows[0]!.count),
  };
}

/** Each insight question asked of Pulse and by a plain scan, as table rows. */
async function measureInsights(services: InsightServices, pool: pg.Pool, tenantId: number): Promise<string[][]> {
  const rows: string[][] = [];
  for (const question of INSIGHT_QUESTIONS) {
    const asked: number[] = [];
    for (let i = 0; i < WARM_UP_RUNS; i += 1) await question.ask(services, tenantId, randomRange());
    for (let i = 0; i < INSIGHT_ITERATIONS; i += 1) {
      const range = randomRange();
      asked.push(await timeMs(() => question.ask(services, tenantId, range)));
    }
    const scanned: number[] = [];
    for (let i = 0; i < RAW_ITERATIONS; i += 1) {
      const range = randomRange();
      scanned.push(await timeMs(() => question.plainScan(pool, tenantId, range)));
    }
    const p95 = percentile(asked, 95);
    const ratio = percentile(scanned, 50) / percentile(asked, 50);
    console.log(`${question.label}: p95 ${fmt(p95)}, plain scan p50 ${fmt(percentile(scanned, 50))}`);
    rows.push([
      question.label,
      fmt(percentile(asked, 50)),
      fmt(p95),
      fmt(percentile(scanned, 50)),
      `${ratio.toFixed(1)}×`,
      `< ${question.targetMs} ms — ${p95 < question.targetMs ? 'met' : '**not met**'}`,
    ]);
  }
  return rows;
}

await main();
