// `npm run bench:ingest`: events/s and per-request latency for 100- and 500-event batches at rising
// concurrency over HTTP (/v1/batch, the server in its own process), and, in the same run, the raw insert
// ceiling: the same rows through the same SQL straight into PostgreSQL, and what enrichment (country, user
// agent, referrer, campaign, cookieless ids) costs: browser-like batches against the plain ones, and per event
// in-process; and what PostgreSQL alone takes of the same rows (COPY, unnest, unnest into events). Writes docs/BENCHMARKS.md.
// Loopback only; every run is bounded by BENCH_SECONDS (default 10) per step.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@pulse/backend/config';
import { EventRepository } from '@pulse/backend/repositories/event-repository';
import { TenantRepository } from '@pulse/backend/repositories/tenant-repository';
import { startRuntime } from '@pulse/backend/runtime';
import { createBenchDatabase } from './lib/bench-database.ts';
import { measureEnrichmentCost } from './lib/enrichment-cost.ts';
import { browserEventsBody, eventsBody, RAW_ROWS_PER_STATEMENT, RAW_WRITER_COUNTS, rawInsertCeiling, rawInsertRate } from './lib/ingest-workload.ts';
import { markdownTable, writeBenchmarkSection } from './lib/benchmarks-doc.ts';
import { measureRawLimits } from './lib/raw-limits.ts';
import { percentile, runLoad, runPaced } from './lib/load-run.ts';
import { describeMachine } from './lib/machine.ts';
import { startServerProcess } from '@pulse/backend/test/server-process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '2,8,32').split(',').map(Number);
const BATCH_SIZES = [100, 500];
const WARM_UP_SECONDS = 5;
const format = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const database = await createBenchDatabase();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisKeyPrefix = `pulse-bench:${randomBytes(4).toString('hex')}:`;
  const runtime = await startRuntime({ ...loadConfig({}), DATABASE_URL: database.url, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: redisKeyPrefix });
  // Behind a "proxy" on loopback: the browser-like step's forwarded addresses count, as in production.
  const server = await startServerProcess({ DATABASE_URL: database.url, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: redisKeyPrefix, TRUST_PROXY: 'loopback' });
  try {
    const tenant = await new TenantRepository(runtime.prisma).create({ slug: 'bench', name: 'Bench', plan: 'enterprise' });
    const { key } = await runtime.services.apiKeys.createKey(tenant.id, 'ingest', 'bench');
    const machine = await describeMachine(runtime.pool);
    console.log(`Machine: ${machine}\nServer: ${server.url}; ${SECONDS} s per step`);

    // Unmeasured: a fresh server's first seconds run unoptimised code, which the first row would pay for.
    await runLoad({ url: `${server.url}/v1/batch`, body: eventsBody(500), headers: { 'x-api-key': key }, connections: 8, seconds: WARM_UP_SECONDS });

    const rows: Array<Array<string | number>> = [];
    let best = { eventsPerSecond: 0, connections: 0, batchSize: 0, requestsPerSecond: 0 };
    for (const batchSize of BATCH_SIZES) {
      const body = eventsBody(batchSize);
      for (const connections of CONNECTIONS) {
        const result = await runLoad({ url: `${server.url}/v1/batch`, body, headers: { 'x-api-key': key }, connections, seconds: SECONDS });
        const eventsPerSecond = (result.ok * batchSize) / SECONDS;
        const row = [
          batchSize,
          connections,
          format(eventsPerSecond),
          format(result.ok / SECONDS),
          ms(percentile(result.latenciesMs, 50)),
          ms(percentile(result.latenciesMs, 95)),
          ms(percentile(result.latenciesMs, 99)),
          result.failed,
        ];
        console.log(row.join('\t'));
        rows.push(row);
        if (batchSize === 500 && eventsPerSecond > best.eventsPerSecond) {
          best = { eventsPerSecond, connections, batchSize, requestsPerSecond: result.ok / SECONDS };
        }
      }
    }

    // Enrichment: browser-like batches (sent as a browser sends them: Origin, the visitor's forwarded address)
    // between two runs of the plain ones, so that the machine's drift shows rather than passes for a cost.
    const enrichmentStep = (body: string, headers: Record<string, string> = {}) =>
      runLoad({ url: `${server.url}/v1/batch`, body, headers: { 'x-api-key': key, ...headers }, connections: 8, seconds: SECONDS });
    const plainBefore = await enrichmentStep(eventsBody(500));
    const browserLike = await enrichmentStep(browserEventsBody(500), { origin: 'https://shop.example', 'x-forwarded-for': '193.99.144.80' });
    const plainAfter = await enrichmentStep(eventsBody(500));
    const plainRate = ((plainBefore.ok + plainAfter.ok) * 500) / 2 / SECONDS;
    const browserRate = (browserLike.ok * 500) / SECONDS;
    const cost = measureEnrichmentCost();
    const micros = (value: number) => `${value.toFixed(1)} µs`;
    console.log(`browser-like ${format(browserRate)} events/s against plain ${format(plainRate)}; per event ${JSON.stringify(cost)}`);

    const halfRate = Math.max(1, best.requestsPerSecond / 2);
    // Let the write-ahead log of the saturation runs settle first: this step measures steady traffic.
    await runtime.pool.query('CHECKPOINT');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const steady = await runPaced({
      url: `${server.url}/v1/batch`,
      body: eventsBody(500),
      headers: { 'x-api-key': key },
      ratePerSecond: halfRate,
      seconds: SECONDS,
    });
    const halfRateP99 = percentile(steady.latenciesMs, 99);
    console.log(`half rate ${halfRate.toFixed(1)} req/s: p99 ${ms(halfRateP99)}, failed ${steady.failed}`);

    const repository = new EventRepository(runtime.pool);
    const { eventsPerSecond: ceiling, writers: ceilingWriters } = await rawInsertCeiling(repository, tenant.id, SECONDS);
    // Two writers that share no rollup rows: whether more writers are held back by locks or by CPU.
    const other = await new TenantRepository(runtime.prisma).create({ slug: 'bench-other', name: 'Bench (other)', plan: 'enterprise' });
    const separateTenants = await rawInsertRate(repository, [tenant.id, other.id], SECONDS);
    console.log(`raw insert, 2 writers on separate tenants: ${format(separateTenants)} events/s`);
    const ratio = best.eventsPerSecond / ceiling;
    console.log(`raw insert ceiling ${format(ceiling)} events/s; best HTTP ${format(best.eventsPerSecond)} = ${(ratio * 100).toFixed(0)}%`);
    const limits = await measureRawLimits(runtime.pool, tenant.id, SECONDS);
    console.log(
      `raw limits: COPY ${format(limits.copyPlain)}, unnest ${format(limits.unnestPlain)}, unnest into events ${format(limits.unnestEvents)} events/s`,
    );
    const share = (limit: number) => `${((best.eventsPerSecond / limit) * 100).toFixed(0)}%`;

    const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
    const doc = await writeBenchmarkSection(
      'bench:ingest',
      `## Ingestion — \`npm run bench:ingest\`

Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}. The server runs in its own
process (services mode, group commit, Redis for cache and pub/sub) and receives \`POST /v1/batch\` from
autocannon on loopback for ${SECONDS} s per row, after ${WARM_UP_SECONDS} s of unmeasured warm-up; latencies are per request.

${markdownTable(['batch', 'connections', 'events/s', 'requests/s', 'p50', 'p95', 'p99', 'non-2xx'], rows)}

- **Raw insert ceiling, same run:** ${format(ceiling)} events/s — the same rows through the same SQL
  (best of ${RAW_WRITER_COUNTS.join(' / ')} writers: ${ceilingWriters}; ${format(RAW_ROWS_PER_STATEMENT)}-row statements with their rollups), no HTTP.
- **Best over HTTP:** ${format(best.eventsPerSecond)} events/s (${best.batchSize}-event batches, ${best.connections}
  connections) = **${(ratio * 100).toFixed(0)}% of the ceiling**. (Above 100% is possible: the server prepares the
  next flush while one is written, which a lone raw writer does not.)
- **What PostgreSQL alone takes of the same rows, same run** (one writer, ${format(RAW_ROWS_PER_STATEMENT)} rows per
  statement), and Pulse's best over HTTP as a share of each:

${markdownTable(
  ['raw way', 'events/s', 'Pulse over HTTP'],
  [
    ['`COPY` into a plain table (no indexes)', format(limits.copyPlain), share(limits.copyPlain)],
    ['`INSERT … SELECT FROM unnest` into a plain table', format(limits.unnestPlain), share(limits.unnestPlain)],
    ['the same unnest into `events` (partitioned, its indexes; no message keys, no rollups)', format(limits.unnestEvents), share(limits.unnestEvents)],
  ],
)}

- **Is the limit locks or CPU?** Two raw writers on separate tenants, which share no rollup rows:
  ${format(separateTenants)} events/s, against ${format(ceiling)} for the best writer count on one tenant. With two
  cores shared by PostgreSQL, the server and the load generator, the limit is CPU per event, mostly the
  statement in PostgreSQL: the message-key insert, the raw row with its indexes, the rollups and bitmaps.
- **At half that rate** (${format(halfRate * 500)} events/s, ${halfRate.toFixed(1)} requests/s sent at even intervals, after a CHECKPOINT): p99 ${ms(halfRateP99)} per request, ${steady.failed} non-2xx.
- **Enrichment** (issue 17): browser-like batches — no ids (each event gets a cookieless visitor id), the
  visitor's address forwarded, seven user agents (one a crawler), page URLs with UTM fields, referrers — at
  ${format(browserRate)} events/s, against ${format(plainRate)} for the plain batches run just before and after
  (500 events, 8 connections): **${((browserRate / plainRate) * 100).toFixed(0)}%**. In-process, per event: the user agent
  ${micros(cost.userAgentUncached)} the first time it is seen, ${micros(cost.userAgentCached)} after (cached); the country
  ${micros(cost.country)}; referrer and campaign ${micros(cost.referrerAndCampaign)}; for comparison, validating the event
  ${micros(cost.validation)}.
- Targets (issues 3 and 20): ≥ 50,000 events/s over HTTP — ${verdict(best.eventsPerSecond >= 50_000)}; ≥ 40% of the ceiling —
  ${verdict(ratio >= 0.4)}; p99 < 100 ms at half rate — ${verdict(halfRateP99 < 100)}.`,
    );
    console.log(`wrote ${doc}`);
  } finally {
    await server.stop();
    await runtime.close();
    await database.drop();
  }
}

await main();
