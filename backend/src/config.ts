import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_MAX_BATCH_EVENTS } from '@pulse/shared/ingest';
import { DEFAULT_BREAKER_CONFIG } from './infra/breakers/create-breakers.ts';
import { quotasWith } from './services/event-quotas.ts';
import { rateLimitsWith } from './services/rate-limit-plans.ts';

/** Relative paths in the configuration (DATA_DIR, WEB_DIST_DIR) are taken from the repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const ZClassLimits = z.strictObject({
  ingest: z.number().int().min(1).optional(),
  read: z.number().int().min(1).optional(),
  admin: z.number().int().min(1).optional(),
});
const ZRateLimitOverrides = z.strictObject({ free: ZClassLimits.optional(), pro: ZClassLimits.optional(), enterprise: ZClassLimits.optional() });
const ZQuota = z.number().int().min(0).nullable();
const ZQuotaOverrides = z.strictObject({ free: ZQuota.optional(), pro: ZQuota.optional(), enterprise: ZQuota.optional() });

/** Parses a JSON setting; the message of a value that is not JSON shows `example`. */
function parseJsonLike(example: string) {
  return (text: string, ctx: z.RefinementCtx): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected JSON, like ${example}` });
      return z.NEVER;
    }
  };
}

/** Exact origins ("https://app.example.com"), comma-separated; unset or empty: none. */
function parseOrigins(value: string, ctx: z.RefinementCtx): string[] {
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (!URL.canParse(origin) || !['http:', 'https:'].includes(new URL(origin).protocol) || new URL(origin).origin !== origin) {
      ctx.addIssue({ code: 'custom', message: `"${origin}" is not an exact origin; expected scheme, host and port only, like https://app.example.com` });
    }
  }
  return origins;
}

/** Unset or "false": no proxy is trusted, and the address is always the connection's own. */
function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

const ZConfig = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1').describe('Interface to listen on; 0.0.0.0 in containers.'),
    PORT: z.coerce.number({ error: 'expected a port number' }).int().min(0).max(65_535).default(3001),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: 'expected a postgresql:// URL' })
      .optional()
      .describe('External PostgreSQL. Unset: embedded PGlite under DATA_DIR.'),
    REDIS_URL: z
      .url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' })
      .optional()
      .describe('External Redis. Unset: in-process cache, limits, pub/sub.'),
    REDIS_CLUSTER_NODES: z
      .string()
      .regex(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, 'expected seed nodes as host:port,host:port,…')
      .optional()
      .describe('Redis Cluster seed nodes, instead of REDIS_URL.'),
    REDIS_KEY_PREFIX: z.string().default('pulse:').describe('Prefix of every Redis key, so instances can share a Redis.'),
    DATA_DIR: z.string().min(1).default('.data').describe('Where embedded mode keeps its database.'),
    DEMO_MODE: z.stringbool().optional().describe('Seed an empty database and print a sign-in link on start. Default: on in embedded mode.'),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    READ_TENANT_POOL_SHARE: z.coerce
      .number()
      .gt(0)
      .max(1)
      .default(0.4)
      .describe("Share of DB_POOL_SIZE one tenant's database reads (uncached analytics, event log, exports) may hold at once."),
    READ_TOTAL_POOL_SHARE: z.coerce.number().gt(0).max(1).default(0.8).describe("…and all tenants' reads together; the rest stays for ingestion."),
    READ_QUEUE_WAIT_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(1_000)
      .describe("How long a read past its tenant's share may wait for a connection before a 503."),
    TRPC_MAX_BATCH_CALLS: z.coerce.number().int().min(1).max(1_000).default(50).describe('Calls one tRPC batch request may carry; more is a 400.'),
    EXPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(65_536)
      .default(4 * 1024 * 1024)
      .describe('An export or event-list page stops adding events at about this many bytes of JSON and hands back a cursor.'),
    MAX_BATCH_EVENTS: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_MAX_BATCH_EVENTS),
    INGEST_FLUSH_MAX_ROWS: z.coerce.number().int().min(1).default(2_000).describe('Group commit: rows per flush.'),
    INGEST_FLUSH_DELAY_MS: z.coerce.number().int().min(0).default(5).describe('Group commit: longest wait before a flush.'),
    INGEST_QUEUE_MAX_ROWS: z.coerce.number().int().min(1).default(50_000).describe('Rows waiting to be written before 503s.'),
    VALUE_ROLLUPS_EVERY_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .default(60)
      .describe('How often each instance builds the value rollups of closed days (filtered questions read them); 0: never.'),
    ALERTS_EVERY_SECONDS: z.coerce
      .number()
      .min(0)
      .default(5)
      .describe('How often each instance looks for alert rules whose window has closed, and for webhook deliveries due; 0: never.'),
    ALERTS_LEASE_SECONDS: z.coerce
      .number()
      .min(1)
      .default(30)
      .describe('How long a rule stays with the instance evaluating it without a word from it; another instance takes it over after.'),
    ALERTS_SETTLE_SECONDS: z.coerce
      .number()
      .min(0)
      .default(60)
      .describe('How long after a window closes it is judged, so that events sent late still count in it.'),
    ALERT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000).describe('The longest one webhook attempt may take.'),
    ALERT_WEBHOOK_ALLOW_PRIVATE: z
      .stringbool()
      .default(false)
      .describe('Let webhooks call loopback and private addresses (receivers beside Pulse, tests); by default only public addresses.'),
    RATE_LIMITS: z
      .string()
      .transform(parseJsonLike('{"pro":{"read":2000}}'))
      .pipe(ZRateLimitOverrides)
      .optional()
      .transform((overrides) => rateLimitsWith(overrides ?? {}))
      .describe('Changes to the per-minute limits by plan and class, as JSON: {"pro":{"read":2000}}.'),
    RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: z.coerce.number().int().min(1).default(120).describe('Requests without a valid key, per client IP.'),
    LOGIN_FAILURES_PER_ACCOUNT: z.coerce
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('Failed sign-ins per account (email) per login window before it is refused until the window ends.'),
    LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(50).describe('Failed sign-ins per client address per login window, across accounts.'),
    LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900).describe('The window the sign-in limits count over.'),
    OWNER_EMAIL: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email())
      .default('owner@pulse.local')
      .describe('The email of the owner account that the first start creates.'),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(3_600)
      .default(60)
      .describe('The window the limits count over; shorter only for tests and demos.'),
    RATE_LIMIT_INSTANCES: z.coerce.number().int().min(1).default(1).describe('Instances sharing Redis: while Redis is out each allows limit ÷ this.'),
    EVENT_QUOTAS: z
      .string()
      .transform(parseJsonLike('{"free":300}'))
      .pipe(ZQuotaOverrides)
      .optional()
      .transform((overrides) => quotasWith(overrides ?? {}))
      .describe('Changes to the monthly event quotas by plan, as JSON (null: no quota): {"free":300}.'),
    QUOTA_PERIOD_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .optional()
      .describe('The quota period in seconds (aligned to the Unix epoch). Unset: calendar months in UTC; shorter only for tests and demos.'),
    TRUST_PROXY: z
      .string()
      .optional()
      .transform(parseTrustProxy)
      .describe('Proxies whose X-Forwarded-For is believed (Express "trust proxy"): hop count or addresses/subnets.'),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform(parseOrigins)
      .describe('Other origins whose pages may call /trpc with credentials (comma-separated, exact). Unset: same origin only. /v1 takes any origin.'),
    REQUEST_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .default(30_000)
      .describe('An API call not answered within this gets a 503 (live streams excepted); also the longest a request may take to arrive.'),
    HEADERS_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .default(10_000)
      .describe('A connection whose request headers take longer to arrive is closed (slow clients).'),
    CACHE_L1_MAX_ENTRIES: z.coerce.number().int().min(1).default(10_000).describe("Answers kept in each instance's memory."),
    CACHE_LIVE_TTL_SECONDS: z.coerce.number().min(0).default(30).describe('Fresh time of answers over ranges ending within the last hour.'),
    CACHE_LIVE_GRACE_SECONDS: z.coerce.number().min(0).default(30).describe('…and how long after that they may be served while refreshed.'),
    CACHE_RECENT_TTL_SECONDS: z.coerce.number().min(0).default(300).describe('Fresh time of answers over ranges ending within the last 7 days.'),
    CACHE_RECENT_GRACE_SECONDS: z.coerce.number().min(0).default(300),
    CACHE_ARCHIVE_TTL_SECONDS: z.coerce.number().min(0).default(3_600).describe('Fresh time of answers over older ranges.'),
    CACHE_ARCHIVE_GRACE_SECONDS: z.coerce.number().min(0).default(3_600),
    CACHE_OUTAGE_TTL_SECONDS: z.coerce
      .number()
      .min(0)
      .default(2)
      .describe("While Redis is out, how long an answer is served from an instance's memory (instances cannot hear each other's invalidations then)."),
    WEB_DIST_DIR: z.string().min(1).default('web/dist').describe('Built dashboard served at /.'),
    PG_READ_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_BREAKER_CONFIG.PG_READ_TIMEOUT_MS)
      .describe('A PostgreSQL read slower than this fails (and counts against its breaker).'),
    PG_WRITE_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_BREAKER_CONFIG.PG_WRITE_TIMEOUT_MS)
      .describe('…a write of events; what times out goes to the spool.'),
    REDIS_TIMEOUT_MS: z.coerce.number().int().min(1).default(DEFAULT_BREAKER_CONFIG.REDIS_TIMEOUT_MS).describe('…a cache call to Redis.'),
    BREAKER_ERROR_THRESHOLD_PERCENT: z.coerce
      .number()
      .min(1)
      .max(100)
      .default(DEFAULT_BREAKER_CONFIG.BREAKER_ERROR_THRESHOLD_PERCENT)
      .describe('Failed share of calls that opens a breaker…'),
    BREAKER_VOLUME_THRESHOLD: z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_BREAKER_CONFIG.BREAKER_VOLUME_THRESHOLD)
      .describe('…once its window holds this many calls.'),
    BREAKER_WINDOW_MS: z.coerce.number().int().min(100).default(DEFAULT_BREAKER_CONFIG.BREAKER_WINDOW_MS).describe('The rolling window of that share.'),
    BREAKER_RESET_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .default(DEFAULT_BREAKER_CONFIG.BREAKER_RESET_TIMEOUT_MS)
      .describe('Open time before one probe call (plus up to 20% jitter).'),
    SHED_MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(200).describe('Requests in progress at which the instance is full (see load shedding).'),
    SHED_EVENT_LOOP_DELAY_MS: z.coerce
      .number()
      .min(1)
      .default(200)
      .describe('Event-loop delay (longest timer wait in the last 0.5 s) at which it is fully loaded.'),
    INGEST_MAX_WAIT_MS: z.coerce
      .number()
      .int()
      .min(1)
      .default(1_000)
      .describe('Ingestion that would wait longer than this behind the ingestion admitted is refused at once (503, Retry-After).'),
    FAULT_INJECTION: z.stringbool().default(false).describe("Let admin keys add faults to this instance's dependency calls (tests, demos)."),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('Structured JSON logs on stdout: refusals at warn, failures at error, every request at debug.'),
    SPOOL_DRAIN_INTERVAL_MS: z.coerce.number().int().min(50).default(1_000).describe('How often an instance looks for spooled events to replay.'),
  })
  .refine((config) => !(config.REDIS_URL && config.REDIS_CLUSTER_NODES), {
    path: ['REDIS_CLUSTER_NODES'],
    message: 'set either REDIS_URL (one server) or REDIS_CLUSTER_NODES (a cluster), not both',
  });

export type AppConfig = z.infer<typeof ZConfig>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses environment variables; a bad value fails with one line per problem, naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = ZConfig.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const value = env[name];
    return `  ${name}${value === undefined ? '' : `=${JSON.stringify(value)}`}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
