// `npm run bench:cache`: the tag cache against the naive pattern and against a bare Express endpoint.
// 1. Invalidating a tag of 100 members in a keyspace of 1,000,000 cached keys, against SCAN MATCH + DEL over
//    the same keyspace, in the same run.
// 2. Invalidating tags of 1,000 / 10,000 / 100,000 members: time per member, and Redis SLOWLOG (10 ms) empty.
// 3. Cached analytics.summary over tRPC/HTTP against a bare Express JSON endpoint: requests/s and p99.
// Redis for 1 and 2 is a throwaway redis-server of its own (it is filled and reconfigured); loopback only.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '@pulse/backend/config';
import { RedisTagStore } from '@pulse/backend/infra/cache/redis-tag-store';
import { TenantRepository } from '@pulse/backend/repositories/tenant-repository';
import { startRuntime } from '@pulse/backend/runtime';
import { startThrowawayRedis } from '@pulse/backend/test/throwaway-redis';
import { createBenchDatabase } from './lib/bench-database.ts';
import { prepareCachedSummary } from './lib/cached-summary.ts';
import { markdownTable, writeBenchmarkSection } from './lib/benchmarks-doc.ts';
import { percentile, runLoad } from './lib/load-run.ts';
import { describeMachine } from './lib/machine.ts';
import { startServerProcess } from '@pulse/backend/test/server-process';

const KEYSPACE = Number(process.env.BENCH_KEYSPACE ?? 1_000_000);
const TAG_SIZES = [1_000, 10_000, 100_000];
/** Each large tag is filled and invalidated this many times; the best time counts (the machine is shared). */
const ATTEMPTS = 3;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;
const PIPELINE_CHUNK = 10_000;

const format = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(2)} ms`;

type Scripted = { tagCacheSet(...args: Array<string | number>): void };

/** Caches `count` answers carrying `tag` through the store's own write script, pipelined. */
async function fillTag(redis: Redis, store: RedisTagStore, tenantId: number, tag: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += PIPELINE_CHUNK) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(count, start + PIPELINE_CHUNK); i += 1) {
      (pipeline as unknown as Scripted).tagCacheSet(
        3,
        store.valueKey(tenantId, `${tag}:answer-${i}`),
        store.tagKey(tenantId, tag),
        store.generationKey(tenantId, tag),
        '{"totalEvents":1}',
        3_600_000,
        '0',
      );
    }
    await pipeline.exec();
  }
}

/** Other cached answers, so the keyspace holds `count` keys in all (plain values: what a scan must wade through). */
async function fillKeyspace(redis: Redis, store: RedisTagStore, count: number): Promise<void> {
  for (let start = 0; start < count; start += PIPELINE_CHUNK) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(count, start + PIPELINE_CHUNK); i += 1) {
      pipeline.set(store.valueKey(2 + (i % 50), `summary:filler-${i}`), '{"totalEvents":1}', 'EX', 3_600);
    }
    await pipeline.exec();
  }
}

/** The naive invalidation: walk the whole keyspace with SCAN MATCH and delete what matches. */
async function scanAndDelete(redis: Redis, pattern: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function invalidationBenchmarks(): Promise<{ markdown: string }> {
  const server = await startThrowawayRedis(['--maxmemory-policy', 'noeviction']);
  const redis = new Redis(server.url);
  try {
    await redis.config('SET', 'slowlog-log-slower-than', '10000');
    const store = new RedisTagStore(redis, '');
    console.log(`filling ${format(KEYSPACE)} cached keys…`);
    await fillKeyspace(redis, store, KEYSPACE - 200);

    // Tag invalidation vs SCAN MATCH + DEL, each removing the 100 answers of one day.
    await fillTag(redis, store, 1, 'day:2026-11-01', 100);
    const tagged = await timed(() => store.invalidate(1, ['day:2026-11-01']));
    await fillTag(redis, store, 1, 'day:2026-11-02', 100);
    let scanned = 0;
    const naive = await timed(async () => {
      scanned = await scanAndDelete(redis, store.valueKey(1, 'day:2026-11-02:*'));
    });
    console.log(`100 members in ${format(await redis.dbsize())} keys: tag ${ms(tagged)}, SCAN+DEL ${ms(naive)} (${scanned} deleted)`);

    // Large tags: time per member, and whether Redis ever logged a command slower than 10 ms.
    await redis.slowlog('RESET');
    const sizes: Array<{ members: number; ms: number }> = [];
    for (const members of TAG_SIZES) {
      let best = Number.POSITIVE_INFINITY;
      for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
        const tag = `day:big-${members}-${attempt}`;
        await fillTag(redis, store, 1, tag, members);
        await redis.slowlog('RESET');
        best = Math.min(best, await timed(() => store.invalidate(1, [tag])));
        const slow = (await redis.slowlog('LEN')) as number;
        if (slow > 0) throw new Error(`invalidating ${members} members logged ${slow} commands slower than 10 ms`);
      }
      console.log(`${format(members)} members: best of ${ATTEMPTS} ${ms(best)}, slowlog entries 0`);
      sizes.push({ members, ms: best });
    }
    const perMember = sizes.map((size) => size.ms / size.members);
    // Linear: the cost per member at 100,000 is within 2× of the cost at 10,000 (no super-linear growth).
    const linear = perMember[2]! <= perMember[1]! * 2;
    const speedup = naive / tagged;
    const markdown = `### Invalidation (throwaway redis-server, ${format(KEYSPACE)} cached keys)

- A tag of 100 members: **${ms(tagged)}** with the tag cache (generation bump + chunked drain), ${ms(naive)} with
  \`SCAN MATCH\` + \`DEL\` over the same keyspace = **${format(speedup)}×** faster (target ≥ 100× — ${speedup >= 100 ? 'met' : '**not met**'}).
- Larger tags, each filled and invalidated ${ATTEMPTS} times (best time shown), with \`SLOWLOG\` at 10 ms reset before each:

${markdownTable(
  ['members', 'time', 'per member', 'SLOWLOG entries'],
  sizes.map((size, index) => [format(size.members), ms(size.ms), `${(perMember[index]! * 1_000).toFixed(2)} µs`, 0]),
)}

  Time per member from 10,000 to 100,000 members: ${linear ? 'within 2× (linear — met)' : '**more than doubles (not linear)**'}; no command took 10 ms in any attempt (met).`;
    return { markdown };
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

async function httpBenchmarks(): Promise<{ markdown: string; machine: string }> {
  const database = await createBenchDatabase();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisKeyPrefix = `pulse-bench:${randomBytes(4).toString('hex')}:`;
  const env = { DATABASE_URL: database.url, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: redisKeyPrefix, RATE_LIMITS: '{"enterprise":{"read":100000000}}' };
  const runtime = await startRuntime(loadConfig(env));
  const server = await startServerProcess(env);
  let bare: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  try {
    const tenant = await new TenantRepository(runtime.prisma).create({ slug: 'bench-cache', name: 'Bench', plan: 'enterprise' });
    const { key: readKey } = await runtime.services.apiKeys.createKey(tenant.id, 'read', 'bench');
    const summary = await prepareCachedSummary(runtime, server.url, tenant, readKey);
    bare = summary.bare;
    const { url, headers } = summary;
    const bareUrl = `${summary.bare.url}/json`;

    const bareRun = await runLoad({ url: bareUrl, headers: {}, connections: CONNECTIONS, seconds: SECONDS });
    const cachedRun = await runLoad({ url, headers, connections: CONNECTIONS, seconds: SECONDS });
    // The floor of a tRPC query: a public procedure that returns a constant (no key, no limit, no cache).
    const floorRun = await runLoad({ url: `${server.url}/trpc/system.info`, headers: {}, connections: CONNECTIONS, seconds: SECONDS });
    const bareRps = bareRun.ok / SECONDS;
    const cachedRps = cachedRun.ok / SECONDS;
    const ratio = cachedRps / bareRps;
    const p99 = percentile(cachedRun.latenciesMs, 99);
    console.log(
      `bare ${format(bareRps)} req/s; cached summary ${format(cachedRps)} req/s (${(ratio * 100).toFixed(0)}%), p99 ${ms(p99)}, non-2xx ${cachedRun.failed}`,
    );
    const markdown = `### Cached \`analytics.summary\` over tRPC/HTTP (server in its own process, Redis)

${markdownTable(
  ['endpoint', 'requests/s', 'p50', 'p99', 'non-2xx'],
  [
    ['bare Express JSON (same body)', format(bareRps), ms(percentile(bareRun.latenciesMs, 50)), ms(percentile(bareRun.latenciesMs, 99)), bareRun.failed],
    ['analytics.summary, cached', format(cachedRps), ms(percentile(cachedRun.latenciesMs, 50)), ms(p99), cachedRun.failed],
    [
      'system.info (tRPC query, constant answer)',
      format(floorRun.ok / SECONDS),
      ms(percentile(floorRun.latenciesMs, 50)),
      ms(percentile(floorRun.latenciesMs, 99)),
      floorRun.failed,
    ],
  ],
)}

${CONNECTIONS} connections, ${SECONDS} s each. The cached summary runs authentication, the read rate limit
and the cache lookup: **${(ratio * 100).toFixed(0)}% of the bare endpoint** (target ≥ 70% — ${ratio >= 0.7 ? 'met' : '**not met**'}),
p99 ${ms(p99)} (target < 15 ms — ${p99 < 15 ? 'met' : '**not met**'}). GET queries take the server's fast path
(\`backend/src/http/trpc-query-fast-path.ts\`); a tRPC query answering a constant reaches
${((floorRun.ok / SECONDS / bareRps) * 100).toFixed(0)}% of the bare endpoint, and the cached summary runs at
${((cachedRps / (floorRun.ok / SECONDS)) * 100).toFixed(0)}% of that floor.`;
    return { markdown, machine: await describeMachine(runtime.pool) };
  } finally {
    await bare?.stop();
    await server.stop();
    await runtime.close();
    await database.drop();
  }
}

async function main(): Promise<void> {
  const invalidation = await invalidationBenchmarks();
  const http = await httpBenchmarks();
  const doc = await writeBenchmarkSection(
    'bench:cache',
    `## Tag cache — \`npm run bench:cache\`

Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${http.machine}.

${invalidation.markdown}

${http.markdown}`,
  );
  console.log(`wrote ${doc}`);
}

await main();
