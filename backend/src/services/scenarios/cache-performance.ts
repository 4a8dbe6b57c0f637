import type { ScenarioContext, ScenarioDefinition } from './scenario-context.ts';
import { check, figure, formatMs, formatPercent, percentile } from './scenario-math.ts';
import { seedEvents } from './scenario-traffic.ts';

const TAG_SIZES = { '1k': 1_000, '10k': 10_000, '100k': 100_000 } as const;
const FILL_CONCURRENCY = 500;
const SAMPLED_KEYS = 50;
const ENTRY_TTL_MS = 600_000;
const HOUR_MS = 3_600_000;

interface Pass {
  latencies: number[];
  hits: number;
}

/**
 * The summary of the `hours` before `asOf`. Ranges that end mid-hour count their ragged edges' visitors from raw
 * events, as a dashboard's "last 24 hours" does: work a cached answer saves, where whole hours from the rollups
 * would cost little more than the request itself.
 */
const hoursBefore = (asOf: number, hours: number) => ({ from: new Date(asOf - hours * HOUR_MS).toISOString(), to: new Date(asOf).toISOString() });

/** Asks each question once, one at a time, timing each as the client sees it. */
async function askAll(context: ScenarioContext, questions: number, asOf: number): Promise<Pass> {
  const pass: Pass = { latencies: [], hits: 0 };
  for (let hours = 1; hours <= questions; hours += 1) {
    const answer = await context.http.query<{ cache: { hit: boolean } }>('analytics.summary', hoursBefore(asOf, hours), context.tenant.keys.read);
    if (answer.status !== 200) throw new Error(`a summary answered ${answer.status}`);
    pass.latencies.push(answer.ms);
    if (answer.body?.result?.data.cache.hit) pass.hits += 1;
  }
  return pass;
}

/** Fills one tag with `size` answers, invalidates it, and checks that sampled answers are gone. */
async function timeInvalidation(context: ScenarioContext, size: number): Promise<{ ms: number; survivors: number }> {
  const { sharedAnswers, cache } = context.deps;
  const tenantId = context.tenant.id;
  const tags = [`scenario-fill-${size}`];
  const generations = await sharedAnswers.generations(tenantId, tags);
  const entry = { value: '{"totalEvents":1}', storedAt: Date.now(), freshUntil: Date.now() + ENTRY_TTL_MS };
  for (let start = 0; start < size; start += FILL_CONCURRENCY) {
    context.signal.throwIfAborted();
    const chunk = Array.from({ length: Math.min(FILL_CONCURRENCY, size - start) }, (_, i) =>
      sharedAnswers.set(tenantId, `fill:${start + i}`, entry, tags, generations, ENTRY_TTL_MS),
    );
    await Promise.all(chunk);
  }
  const started = performance.now();
  await cache.invalidateTags(tenantId, tags);
  const ms = performance.now() - started;
  const sampled = await Promise.all(
    Array.from({ length: SAMPLED_KEYS }, (_, i) => sharedAnswers.get(tenantId, `fill:${Math.floor((i * size) / SAMPLED_KEYS)}`, tags)),
  );
  return { ms, survivors: sampled.filter((found) => found !== null).length };
}

/** Cold then warm reads of the same questions, then tag invalidation at growing sizes. */
export const cachePerformance: ScenarioDefinition<'cache-performance'> = {
  expectedMs: (knobs) => 3_000 + knobs.questions * 30 + TAG_SIZES[knobs.largestTag] * 0.15,
  async run(context, knobs) {
    context.phase("Seeding the run's tenant");
    await seedEvents(context, 2_000);
    // One instant for both passes: the warm pass asks exactly the cold pass's questions.
    const asOf = Date.now();
    context.phase(`Cold pass: ${knobs.questions} questions nobody asked yet`);
    const cold = await askAll(context, knobs.questions, asOf);
    context.phase('Warm pass: the same questions again');
    const warm = await askAll(context, knobs.questions, asOf);

    const sizes = Object.values(TAG_SIZES).filter((size) => size <= TAG_SIZES[knobs.largestTag]);
    const invalidations: Array<{ size: number; ms: number; survivors: number }> = [];
    for (const size of sizes) {
      context.phase(`Invalidating a tag of ${size.toLocaleString('en-US')} answers`);
      invalidations.push({ size, ...(await timeInvalidation(context, size)) });
    }

    const coldP50 = percentile(cold.latencies, 50)!;
    const warmP50 = percentile(warm.latencies, 50)!;
    const warmHitRate = warm.hits / knobs.questions;
    const survivors = invalidations.reduce((sum, entry) => sum + entry.survivors, 0);
    return {
      checks: [
        check('Warm reads are faster', 'warm p50 at most half of cold p50', `cold ${formatMs(coldP50)}, warm ${formatMs(warmP50)}`, warmP50 * 2 <= coldP50),
        check('The warm pass hits the cache', '≥ 95% hits', formatPercent(warmHitRate), warmHitRate >= 0.95),
        check('Invalidation removes every answer of the tag', `0 of ${SAMPLED_KEYS} sampled answers left, at each size`, `${survivors} left`, survivors === 0),
      ],
      figures: [
        figure('Cold p50', coldP50, 'ms'),
        figure('Cold p99', percentile(cold.latencies, 99), 'ms'),
        figure('Warm p50', warmP50, 'ms'),
        figure('Warm p99', percentile(warm.latencies, 99), 'ms'),
        figure('Warm hit rate', warmHitRate * 100, '%'),
        figure('Cold hit rate', (cold.hits / knobs.questions) * 100, '%'),
        ...invalidations.map((entry) => figure(`Invalidating ${entry.size.toLocaleString('en-US')} answers`, entry.ms, 'ms')),
      ],
    };
  },
};
