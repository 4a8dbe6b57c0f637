// A child process of `npm run bench:compare`: asks the benchmark's questions, uncached, of one checkout's code over
// one database, one at a time as its parent sends them, and says how long each took. It is copied into the base
// checkout, so it imports only what both sides have. Lines in: {"label", "tenantId", "range"}; lines out:
// {"ms"} or {"error"}; first out: {"ready": [labels]}.
import { createInterface } from 'node:readline';
import pg from 'pg';
import { createBreakers, DEFAULT_BREAKER_CONFIG } from '@pulse/backend/infra/breakers/create-breakers';
import { AnalyticsRepository } from '@pulse/backend/repositories/analytics-repository';
import { CohortRepository } from '@pulse/backend/repositories/cohort-repository';
import { FunnelRepository } from '@pulse/backend/repositories/funnel-repository';
import { ValueRollupRepository } from '@pulse/backend/repositories/value-rollup-repository';
import { AnalyticsService, type AnswerCache } from '@pulse/backend/services/analytics-service';
import { CachedAnswers } from '@pulse/backend/services/cached-answers';
import { CohortRetentionService } from '@pulse/backend/services/cohort-retention-service';
import { DatabaseReads } from '@pulse/backend/services/database-reads';
import { FunnelService } from '@pulse/backend/services/funnel-service';
import { TimeZoneCheck } from '@pulse/backend/services/time-zone-check';
import { DASHBOARD_QUESTIONS } from './dashboard-questions.ts';
import { INSIGHT_QUESTIONS } from './insight-questions.ts';

type Range = { from: string; to: string };

/** Never hits: every answer is computed from the database. */
const noCache: AnswerCache = { wrap: async (_tenantId, _key, { load }) => ({ value: await load(), source: 'load', stale: false, ageMs: 0 }) };

const pool = new pg.Pool({ connectionString: process.argv[2], max: 8 });
// Measured without a read timeout: the point is how long the database takes.
const breakers = createBreakers({ ...DEFAULT_BREAKER_CONFIG, PG_READ_TIMEOUT_MS: 3_600_000 });
const answers = new CachedAnswers(noCache, breakers, new DatabaseReads(breakers, null));
const analytics = new AnalyticsService(new AnalyticsRepository(pool), new ValueRollupRepository(pool), noCache, breakers);
const services = {
  analytics,
  funnels: new FunnelService(new FunnelRepository(pool), answers),
  cohorts: new CohortRetentionService(new CohortRepository(pool), answers, new TimeZoneCheck(() => new AnalyticsRepository(pool).timeZoneNames())),
};
const questions = new Map<string, (tenantId: number, range: Range) => Promise<unknown>>([
  ...DASHBOARD_QUESTIONS.map((question) => [question.label, (tenantId: number, range: Range) => question.ask(analytics, tenantId, range)] as const),
  ...INSIGHT_QUESTIONS.map((question) => [question.label, (tenantId: number, range: Range) => question.ask(services, tenantId, range)] as const),
]);

const reply = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
reply({ ready: [...questions.keys()] });
for await (const line of createInterface({ input: process.stdin })) {
  const { label, tenantId, range } = JSON.parse(line) as { label: string; tenantId: number; range: Range };
  const ask = questions.get(label);
  const started = performance.now();
  try {
    if (!ask) throw new Error(`no question "${label}" here`);
    await ask(tenantId, range);
    reply({ ms: performance.now() - started });
  } catch (error) {
    reply({ error: error instanceof Error ? error.message : String(error) });
  }
}
await pool.end();
