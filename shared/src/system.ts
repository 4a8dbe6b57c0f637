import { z } from 'zod';
import { ZPermission, ZRole } from './roles.ts';
import { ZApiKeyScope } from './auth.ts';

/**
 * embedded: PostgreSQL runs in-process (PGlite) and cache, rate limits and pub/sub are in-process;
 * services: external PostgreSQL and Redis.
 */
export const ZRunMode = z.enum(['embedded', 'services']);
export type TRunMode = z.infer<typeof ZRunMode>;

export const ZSystemInfo = z.object({
  mode: ZRunMode,
  version: z.string(),
  database: z.enum(['postgresql', 'pglite']),
  cache: z.enum(['redis', 'memory']),
});
export type TSystemInfo = z.infer<typeof ZSystemInfo>;

export const ZWhoAmI = z.object({
  tenant: z.object({ id: z.number().int(), slug: z.string(), name: z.string(), plan: z.string() }),
  scope: ZApiKeyScope.nullable().describe("The key's scope when signed in with an API key; null for a person."),
  role: ZRole.nullable().describe("The person's role in the tenant; null when signed in with an API key."),
  user: z.object({ email: z.string() }).nullable(),
  permissions: z.array(ZPermission).describe('What this caller may do in the tenant (shared/src/roles.ts).'),
});
export type TWhoAmI = z.infer<typeof ZWhoAmI>;

const ZCount = z.number().int().min(0);

export const ZCacheStats = z.object({
  counters: z
    .object({
      l1Hits: ZCount.describe("Answers served from this instance's memory."),
      l2Hits: ZCount.describe('Answers served from Redis.'),
      misses: ZCount,
      staleServed: ZCount.describe('Answers past their fresh time served while one refresh ran.'),
      loads: ZCount.describe('Answers computed from the database.'),
      loadErrors: ZCount,
      writesRefused: ZCount.describe('Loads an invalidation overtook: their answers were not cached.'),
      invalidations: ZCount.describe('Tags invalidated by this instance.'),
      invalidationsDeferred: ZCount.describe('Invalidated tags that could not reach Redis, kept to be replayed once it answers.'),
      invalidationsReplayed: ZCount.describe('Deferred tags replayed to Redis and every instance after an outage.'),
      l2Errors: ZCount.describe('Redis calls that failed, timed out or were skipped by the open breaker.'),
    })
    .describe('Since this instance started.'),
  hitRatio: z.number().min(0).max(1),
  latency: z.object({
    buckets: z.array(z.object({ le: z.number().nullable().describe('Upper bound in ms; null: above the last.'), count: ZCount })),
    p50Ms: z.number().nullable(),
    p99Ms: z.number().nullable(),
  }),
  l1Entries: ZCount,
  l1KeysPerTag: z
    .object({ tags: ZCount, mean: z.number().min(0), max: ZCount })
    .describe("Entries per tag in this instance's memory: how many answers one invalidation of a tag retires."),
  l2: z.enum(['closed', 'open', 'half-open', 'none']).describe('Breaker in front of Redis; none in embedded mode.'),
});
export type TCacheStats = z.infer<typeof ZCacheStats>;

export const ZDependency = z.enum(['postgres-read', 'postgres-write', 'redis']);
export type TDependency = z.infer<typeof ZDependency>;

export const ZBreakerStatus = z.object({
  dependency: ZDependency,
  state: z.enum(['closed', 'open', 'half-open']).describe('open: calls fail at once; half-open: one probe call may pass.'),
  failureRate: z.number().min(0).max(1).describe('Failed share of the calls in the current window.'),
  callsInWindow: ZCount,
  opened: ZCount.describe('Times it opened since this instance started.'),
  lastChangeAt: z.string().nullable(),
});
export type TBreakerStatus = z.infer<typeof ZBreakerStatus>;

export const ZHealth = z.object({
  status: z
    .enum(['ok', 'degraded', 'unavailable'])
    .describe('degraded: PostgreSQL or Redis is out but events are taken, or there are incidents; unavailable: events cannot be taken.'),
  mode: ZRunMode,
  checks: z
    .object({ postgres: z.string(), redis: z.string().optional() })
    .describe('"ok", or what went wrong (postgres, before the first successful start-up: what the server is waiting for); redis is absent in embedded mode.'),
  breakers: z.array(ZBreakerStatus),
  spool: z
    .object({
      depth: ZCount.nullable().describe('Spooled requests waiting for PostgreSQL; null when Redis cannot say.'),
      deadLetters: z
        .object({ entries: ZCount, events: ZCount })
        .nullable()
        .describe('Acknowledged events PostgreSQL refused, set aside (`npm run dead-letters`); null when Redis cannot say.'),
    })
    .nullable(),
  incidents: z.array(z.string()).describe('What needs an operator even though the dependencies are up (status is then degraded).'),
});
export type THealth = z.infer<typeof ZHealth>;

export const ZFaultTarget = z.enum(['postgres', 'postgres-read', 'postgres-write', 'redis']).describe('postgres: reads and writes alike.');

export const ZInjectFaultRequest = z
  .object({
    target: ZFaultTarget,
    latencyMs: z.number().int().min(0).max(30_000).default(0).describe('Added before every call.'),
    errorRate: z.number().min(0).max(1).default(0).describe('Share of calls that fail as if the dependency were out.'),
    outage: z.boolean().default(false).describe('Every call fails as if the dependency were out.'),
    durationSeconds: z.number().int().min(1).max(600).default(30).describe('The fault ends by itself after this.'),
  })
  .refine((fault) => fault.outage || fault.latencyMs > 0 || fault.errorRate > 0, {
    message: 'a fault needs latencyMs, errorRate or outage',
  });
export type TInjectFaultRequest = z.input<typeof ZInjectFaultRequest>;
export type TInjectFault = z.output<typeof ZInjectFaultRequest>;

export const ZActiveFault = z.object({
  dependency: ZDependency,
  latencyMs: z.number().int(),
  errorRate: z.number(),
  outage: z.boolean(),
  until: z.string().describe('When the fault ends by itself (ISO 8601).'),
});
export const ZActiveFaults = z.object({ faults: z.array(ZActiveFault) }).describe('Faults active on the instance that answered.');
export type TActiveFaults = z.infer<typeof ZActiveFaults>;

/** One second of this instance, as the system page shows it live. */
export const ZSystemMetrics = z.object({
  at: z.string().describe('When this snapshot was taken, ISO 8601.'),
  mode: ZRunMode,
  requests: z.object({
    perSecond: ZCount.describe('Requests answered in the last full second.'),
    latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }),
    statuses: z.object({ '2xx': ZCount, '3xx': ZCount, '4xx': ZCount, '5xx': ZCount }),
  }),
  breakers: z.array(ZBreakerStatus),
  cache: z.object({
    hitRatio: z.number().min(0).max(1),
    l1Hits: ZCount.describe("Answers from this instance's memory, since start."),
    l2Hits: ZCount.describe('Answers from Redis, since start.'),
    l1Entries: ZCount,
    invalidations: ZCount,
  }),
  rateLimited: z.record(z.string(), ZCount).describe('Refusals by limit class since the instance started.'),
  shed: z.record(z.string(), ZCount).describe('Requests refused by admission control, by criticality, since start.'),
  inFlight: ZCount,
  eventLoopDelayMs: z.number().min(0),
  spoolDepth: ZCount.nullable().describe('Null without a spool (embedded mode) or when Redis cannot say.'),
  deadLetterEvents: ZCount.nullable().describe(
    'Acknowledged events PostgreSQL refused, set aside for `npm run dead-letters` (every instance sees the same); null as for spoolDepth.',
  ),
});
export type TSystemMetrics = z.infer<typeof ZSystemMetrics>;
