import { AuditRepository } from './repositories/audit-repository.ts';
import { InvitationRepository } from './repositories/invitation-repository.ts';
import { MembershipRepository } from './repositories/membership-repository.ts';
import { UserRepository } from './repositories/user-repository.ts';
import { AccountService } from './services/account-service.ts';
import { AuditService } from './services/audit-service.ts';
import { OperatorService } from './services/operator-service.ts';
import { TenantSettingsService } from './services/tenant-settings-service.ts';
import { LoginLimits } from './services/login-limits.ts';
import { MemberService } from './services/member-service.ts';
import { UserService } from './services/user-service.ts';
import { PasswordHasher } from './infra/auth/password-hasher.ts';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import type { TRunMode } from '@pulse/shared/system';
import type { AppConfig } from './config.ts';
import type { BreakerRegistry } from './infra/breakers/breaker-registry.ts';
import { createBreakers } from './infra/breakers/create-breakers.ts';
import { poolBulkhead } from './infra/bulkhead/keyed-bulkhead.ts';
import { FaultInjector } from './infra/breakers/fault-injector.ts';
import { isPostgresRowFault } from './infra/breakers/outages.ts';
import { MemoryTagStore } from './infra/cache/memory-tag-store.ts';
import { RedisTagStore } from './infra/cache/redis-tag-store.ts';
import { TagCache, type CacheTier, type TierPolicy } from './infra/cache/tag-cache.ts';
import { DatabaseStartup, isFatalStartupError } from './infra/db/database-startup.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './infra/db/embedded-postgres.ts';
import { migrate } from './infra/db/migrator.ts';
import { createPgPool } from './infra/db/pg-pool.ts';
import { PRISMA_READ_OPERATIONS, createPrismaClient, type PrismaClient } from './infra/db/prisma.ts';
import { RedisKeyDirectory } from './infra/keys/redis-key-directory.ts';
import { createLogger, type Logger } from './infra/logger.ts';
import { MemoryLiveLog } from './infra/live/memory-live-log.ts';
import { RedisLiveLog } from './infra/live/redis-live-log.ts';
import { RequestStats } from './infra/load/request-stats.ts';
import { LoadMonitor } from './infra/load/load-monitor.ts';
import { reportShedding } from './infra/load/shed-report.ts';
import { TurnScheduler } from './infra/load/turn-scheduler.ts';
import { MemoryPubSub } from './infra/pubsub/memory-pubsub.ts';
import type { PubSub } from './infra/pubsub/pubsub.ts';
import { RedisPubSub } from './infra/pubsub/redis-pubsub.ts';
import { createRateLimiter } from './infra/rate-limit/create-rate-limiter.ts';
import { connectConfiguredRedis, type RedisConnection } from './infra/redis/redis-client.ts';
import { RedisLink } from './infra/redis/redis-link.ts';
import { RedisStreamSpool } from './infra/spool/redis-stream-spool.ts';
import type { Spool } from './infra/spool/spool.ts';
import { SpoolDrainer } from './infra/spool/spool-drainer.ts';
import { AnalyticsRepository } from './repositories/analytics-repository.ts';
import { ApiKeyRepository } from './repositories/api-key-repository.ts';
import { CohortRepository } from './repositories/cohort-repository.ts';
import { FunnelRepository } from './repositories/funnel-repository.ts';
import { BoardRepository } from './repositories/board-repository.ts';
import { GoalRepository } from './repositories/goal-repository.ts';
import { GoalReportRepository } from './repositories/goal-report-repository.ts';
import { DashboardSessionRepository } from './repositories/dashboard-session-repository.ts';
import { EventPartitions } from './infra/db/event-partitions.ts';
import { GroupCommitter } from './infra/db/group-commit.ts';
import { EventRepository, storedEventKey, type EventRow } from './repositories/event-repository.ts';
import { EventQueryRepository } from './repositories/event-query-repository.ts';
import { RetentionRepository } from './repositories/retention-repository.ts';
import { ValueRollupRepository } from './repositories/value-rollup-repository.ts';
import { DEFAULT_VALUE_ROLLUP_OPTIONS, ValueRollupBuilder } from './services/value-rollup-builder.ts';
import { TenantRepository } from './repositories/tenant-repository.ts';
import { TimelineRepository } from './repositories/timeline-repository.ts';
import { breakerStateChannel } from './services/cache-keys.ts';
import { AccessService } from './services/access-service.ts';
import { AnalyticsService } from './services/analytics-service.ts';
import { CohortRetentionService } from './services/cohort-retention-service.ts';
import { TimeZoneCheck } from './services/time-zone-check.ts';
import { CachedAnswers } from './services/cached-answers.ts';
import { FunnelService } from './services/funnel-service.ts';
import { BoardService } from './services/board-service.ts';
import { GoalService } from './services/goal-service.ts';
import { DatabaseReads } from './services/database-reads.ts';
import { ApiKeyService } from './services/api-key-service.ts';
import { DashboardSessionService } from './services/dashboard-session-service.ts';
import { DemoDataService } from './services/demo-data-service.ts';
import { EventIngestService } from './services/event-ingest-service.ts';
import { VisitorIdService } from './services/visitor-ids.ts';
import { sharedCountryLookup } from './services/enrichment/country.ts';
import { VisitorSaltRepository } from './repositories/visitor-salt-repository.ts';
import { EventQueryService } from './services/event-query-service.ts';
import { EventQuotas } from './services/event-quotas.ts';
import { UsageService } from './services/usage-service.ts';
import { QuotaUsageRepository } from './repositories/quota-usage-repository.ts';
import { FaultInjectionService } from './services/fault-injection-service.ts';
import { LiveService } from './services/live-service.ts';
import { HealthService } from './services/health-service.ts';
import { RateLimitService } from './services/rate-limit-service.ts';
import { RetentionService } from './services/retention-service.ts';
import { ScenarioService } from './services/scenarios/scenario-service.ts';
import { SystemService } from './services/system-service.ts';
import { TimelineService } from './services/timeline-service.ts';
import { MINUTE_ROLLUP_HOURS } from './services/time-segments.ts';
import { AlertMetricRepository } from './repositories/alert-metric-repository.ts';
import { AlertRuleRepository } from './repositories/alert-rule-repository.ts';
import { AlertScheduleRepository } from './repositories/alert-schedule-repository.ts';
import { AlertWebhookRepository } from './repositories/alert-webhook-repository.ts';
import { WebhookDeliveryRepository } from './repositories/webhook-delivery-repository.ts';
import { AlertDeliveryWorker } from './services/alerts/alert-delivery-worker.ts';
import { AlertRuleService } from './services/alerts/alert-rule-service.ts';
import { AlertScheduler } from './services/alerts/alert-scheduler.ts';
import { WebhookSender } from './infra/webhooks/webhook-sender.ts';
import { checkWebhookUrl } from './infra/webhooks/webhook-target.ts';

export interface Services {
  apiKeys: ApiKeyService;
  access: AccessService;
  sessions: DashboardSessionService;
  users: UserService;
  members: MemberService;
  accounts: AccountService;
  operator: OperatorService;
  tenantSettings: TenantSettingsService;
  audit: AuditService;
  eventIngest: EventIngestService;
  live: LiveService;
  eventQueries: EventQueryService;
  timeline: TimelineService;
  analytics: AnalyticsService;
  cohorts: CohortRetentionService;
  funnels: FunnelService;
  goals: GoalService;
  boards: BoardService;
  alerts: AlertRuleService;
  usage: UsageService;
  rateLimits: RateLimitService;
  system: SystemService;
  health: HealthService;
  demoData: DemoDataService;
  faults: FaultInjectionService;
  scenarios: ScenarioService;
}

export interface Runtime {
  mode: TRunMode;
  logger: Logger;
  services: Services;
  pool: pg.Pool;
  prisma: PrismaClient;
  redis: RedisConnection | null;
  breakers: BreakerRegistry;
  /** How busy this instance is; decides admission and when answers get coarser. */
  load: LoadMonitor;
  /** The last full second of requests (the HTTP layer records them). */
  requestStats: RequestStats;
  /** Where accepted events wait while PostgreSQL is out; null in embedded mode. */
  spool: Spool | null;
  /** Replays the spool; null in embedded mode. */
  spoolDrainer: SpoolDrainer | null;
  /** Resolves once migrations and the first partitions are in place (at once, or when PostgreSQL answers);
   *  rejects when they cannot be (a migration that does not apply). Until then events are spooled. */
  databaseReady: Promise<void>;
  /** Resolves when the storage maintenance running now (at start: straggler adoption, retention) is done. */
  maintenanceSettled(): Promise<void>;
  close(): Promise<void>;
}

const VERSION = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version as string;

/** Names this process in what it publishes to other instances. */
const INSTANCE_ID = `${hostname()}:${process.pid}`;

const HOUR_MS = 3_600_000;
const SCOPES = ['ingest', 'read', 'admin'] as const;
const DAY_MS = 24 * HOUR_MS;
/** How long alert rules' evaluations and finished webhook deliveries are kept: the history the Alerts page shows. */
const ALERT_HISTORY_DAYS = 30;
/**
 * Checking events gets 2 ms of each work turn and, while connections wait in the kernel, 8 loop iterations of
 * I/O between turns, each taking one of them (see TurnScheduler). Measured with `npm run bench`'s spike on
 * 2 cores: 8 ms turns left refusals waiting over 2 s in the kernel; these settings kept their p99 under 0.15 s.
 * With no connection waiting there is no free iteration, so ingestion keeps its share against reads.
 */
const INGEST_TURN_BUDGET_MS = 2;
const INGEST_FREE_TURNS_WHILE_CONNECTIONS_WAIT = 8;

/** Partitions for yesterday to three days ahead, so today's events never land in the default partition. */
async function ensureCurrentPartitions(partitions: EventPartitions): Promise<void> {
  const now = Date.now();
  await partitions.ensureDays(new Date(now - DAY_MS), new Date(now + 3 * DAY_MS));
}

function cacheTiers(config: AppConfig): Record<CacheTier, TierPolicy> {
  const tier = (ttlSeconds: number, graceSeconds: number): TierPolicy => ({ ttlMs: ttlSeconds * 1_000, graceMs: graceSeconds * 1_000 });
  return {
    live: tier(config.CACHE_LIVE_TTL_SECONDS, config.CACHE_LIVE_GRACE_SECONDS),
    recent: tier(config.CACHE_RECENT_TTL_SECONDS, config.CACHE_RECENT_GRACE_SECONDS),
    archive: tier(config.CACHE_ARCHIVE_TTL_SECONDS, config.CACHE_ARCHIVE_GRACE_SECONDS),
  };
}

/**
 * The composition root: connects to PostgreSQL (or starts the embedded one), connects to Redis (or picks the
 * in-process twins), and wires repositories into services. Migrations run in the background until PostgreSQL
 * answers (`databaseReady`), so an instance started during an outage serves what it can meanwhile.
 */
export async function startRuntime(config: AppConfig): Promise<Runtime> {
  const logger = createLogger(config.LOG_LEVEL);
  // The country database (8 MB) is read now: not by the first event, holding up the event loop for 25 ms.
  sharedCountryLookup();
  const embedded: EmbeddedPostgres | null = config.DATABASE_URL ? null : await startEmbeddedPostgres(join(config.DATA_DIR, 'pglite'));
  const databaseUrl = config.DATABASE_URL ?? embedded!.url;
  // PGlite runs one session at a time: a larger pool would interleave transactions.
  const pool = createPgPool(databaseUrl, embedded ? 1 : config.DB_POOL_SIZE);
  const redis = await connectConfiguredRedis(config);
  const redisPubSub = redis ? new RedisPubSub(redis) : null;
  const pubsub: PubSub = redisPubSub ?? new MemoryPubSub();
  const faultInjector = config.FAULT_INJECTION ? new FaultInjector() : null;
  const breakers = createBreakers(config, {
    faults: faultInjector ?? undefined,
    // Logged, and published live to every instance (the system page shows them as they happen).
    onStateChange: (status) => {
      logger.warn({ breaker: status }, `circuit breaker ${status.dependency} ${status.state}`);
      pubsub.publish(breakerStateChannel(config.REDIS_KEY_PREFIX), JSON.stringify({ instance: INSTANCE_ID, ...status })).catch(() => {});
    },
  });
  const load = new LoadMonitor({
    maxInFlight: config.SHED_MAX_IN_FLIGHT,
    maxEventLoopDelayMs: config.SHED_EVENT_LOOP_DELAY_MS,
    maxCriticalWaitMs: config.INGEST_MAX_WAIT_MS,
  });
  const stopShedReport = reportShedding(load, logger);
  const l1 = new MemoryTagStore({ maxEntries: config.CACHE_L1_MAX_ENTRIES });
  const l2 = redis ? new RedisTagStore(redis, config.REDIS_KEY_PREFIX) : null;
  const tiers = cacheTiers(config);
  const cache = new TagCache({
    l1,
    l2,
    pubsub,
    invalidationChannel: `${config.REDIS_KEY_PREFIX}cache-invalidations`,
    tiers,
    breakers,
    link: redis && redisPubSub ? new RedisLink([redis, redisPubSub.subscriber]) : null,
    outageTtlMs: config.CACHE_OUTAGE_TTL_SECONDS * 1_000,
  });
  await cache.start();
  const rateLimits = new RateLimitService({
    table: config.RATE_LIMITS,
    unauthenticatedPerMinute: config.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE,
    windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
    createLimiter: (name, pointsPerWindow) =>
      createRateLimiter(redis, {
        points: pointsPerWindow,
        durationSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
        keyPrefix: `${config.REDIS_KEY_PREFIX}rate-limit:${name}`,
        instances: config.RATE_LIMIT_INSTANCES,
      }),
  });

  // Every Prisma call (keys, sessions, tenants) through its breaker, and as an outage until the database is ready.
  const prisma = createPrismaClient(pool, (operation, query) => {
    const dependency = PRISMA_READ_OPERATIONS.has(operation) ? 'postgres-read' : 'postgres-write';
    database.assertReady(dependency);
    return breakers.run(dependency, query);
  });
  const partitions = new EventPartitions(pool);
  const tenantRepository = new TenantRepository(prisma);
  const retention = new RetentionService(tenantRepository, new RetentionRepository(pool), partitions);
  const visitorSalts = new VisitorSaltRepository(pool);
  const maintainStorage = async () => {
    await ensureCurrentPartitions(partitions);
    await partitions.adoptStragglers();
    await retention.enforce();
    // A salt is never kept past its day, even when no event arrived since to replace it.
    await visitorSalts.forgetBefore(new Date().toISOString().slice(0, 10));
    const alertHistoryFrom = new Date(Date.now() - ALERT_HISTORY_DAYS * DAY_MS);
    await alertSchedule.forgetEvaluationsBefore(alertHistoryFrom);
    await webhookDeliveries.forgetFinishedBefore(alertHistoryFrom);
  };
  // Migrations and the partitions must exist before any event is written; until PostgreSQL answers, the
  // write path counts as out (events go to the spool). Adopting stragglers and retention (possibly long
  // DELETEs) run in the background once it has, and then hourly.
  const database = new DatabaseStartup(
    async () => {
      await migrate(pool);
      await ensureCurrentPartitions(partitions);
    },
    { initialDelayMs: 500, maxDelayMs: 10_000, isFatal: isFatalStartupError, logger },
  );
  database.start();
  // PGlite runs in this process: nothing to wait for, and a failure there is final.
  if (embedded) await database.ready;
  const logMaintenanceError = (error: unknown) =>
    logger.error({ err: error }, 'storage maintenance (partitions, retention) failed; it runs again within the hour');
  let maintenance: Promise<void> = Promise.resolve();
  const maintenanceTimer = setInterval(() => {
    if (database.readyNow) maintenance = maintainStorage().catch(logMaintenanceError);
  }, HOUR_MS);
  maintenanceTimer.unref();
  // Value rollups of the days that closed (or went stale) since the last run; one run at a time per instance.
  const valueRollupBuilder = new ValueRollupBuilder(new ValueRollupRepository(pool), DEFAULT_VALUE_ROLLUP_OPTIONS, logger);
  let valueRollupRun: Promise<unknown> | null = null;
  const buildValueRollups = () => {
    if (!database.readyNow || valueRollupRun) return;
    valueRollupRun = valueRollupBuilder
      .run()
      .catch((error: unknown) => logger.warn({ err: error }, 'value rollups could not be built; filtered questions read raw rows until the next run'))
      .finally(() => (valueRollupRun = null));
  };
  const valueRollupTimer = config.VALUE_ROLLUPS_EVERY_SECONDS > 0 ? setInterval(buildValueRollups, config.VALUE_ROLLUPS_EVERY_SECONDS * 1000) : null;
  valueRollupTimer?.unref();

  const eventRepository = new EventRepository(pool);
  const quotas = new EventQuotas({ quotaByPlan: config.EVENT_QUOTAS, periodSeconds: config.QUOTA_PERIOD_SECONDS });
  // Requests' events are refused past their tenant's monthly quota; spooled ones (acknowledged already) only counted.
  const committerFor = (enforceQuota: boolean) => {
    // A full pool comes back as DependencyUnavailableError 'busy' (not counted by the breaker): spooled like an outage.
    const writeEvents = (rows: EventRow[]) =>
      breakers.run('postgres-write', () => eventRepository.insertMetered(rows, quotas.metering(new Date(), enforceQuota)));
    return new GroupCommitter(database.guard('postgres-write', writeEvents), (row) => storedEventKey(row.tenantId, row.messageId), {
      maxBatchRows: config.INGEST_FLUSH_MAX_ROWS,
      flushDelayMs: config.INGEST_FLUSH_DELAY_MS,
      maxQueuedRows: config.INGEST_QUEUE_MAX_ROWS,
      // PGlite has one connection: one flush at a time. Otherwise the next flush gathers while one writes.
      maxConcurrentFlushes: embedded ? 1 : 2,
      // A flush PostgreSQL refused for some rows' values is split so that only the owners of those rows fail.
      isRowFault: isPostgresRowFault,
    });
  };
  const committers = { live: committerFor(true), replay: committerFor(false) };
  const apiKeys = new ApiKeyService(new ApiKeyRepository(prisma), {
    revocations: { pubsub, channel: `${config.REDIS_KEY_PREFIX}api-keys-revoked` },
    // Embedded mode has no outage to outlast: PGlite runs in this process.
    directory: redis && !embedded ? new RedisKeyDirectory(redis, config.REDIS_KEY_PREFIX) : null,
    logger,
  });
  await apiKeys.listenForRevocations();
  const syncKeyDirectory = () => {
    if (!database.readyNow) return;
    apiKeys.syncDirectory().catch((error: unknown) => logger.warn({ err: error }, 'the key directory could not be synced; it is tried again within the hour'));
  };
  const keyDirectoryTimer = setInterval(syncKeyDirectory, HOUR_MS);
  keyDirectoryTimer.unref();
  const membershipRepository = new MembershipRepository(prisma);
  const sessions = new DashboardSessionService(apiKeys, new DashboardSessionRepository(prisma), membershipRepository);
  const users = new UserService(
    new UserRepository(prisma),
    new PasswordHasher(),
    new LoginLimits({
      perAccount: config.LOGIN_FAILURES_PER_ACCOUNT,
      perAddress: config.LOGIN_FAILURES_PER_ADDRESS,
      windowSeconds: config.LOGIN_WINDOW_SECONDS,
      createLimiter: (name, points, windowSeconds) =>
        createRateLimiter(redis, {
          points,
          durationSeconds: windowSeconds,
          keyPrefix: `${config.REDIS_KEY_PREFIX}${name}`,
          instances: config.RATE_LIMIT_INSTANCES,
        }),
    }),
  );
  const spool = redis ? new RedisStreamSpool(redis, config.REDIS_KEY_PREFIX) : null;
  const live = new LiveService(redis ? new RedisLiveLog(redis, config.REDIS_KEY_PREFIX) : new MemoryLiveLog(), pubsub, config.REDIS_KEY_PREFIX);
  // Alert rules: due windows judged and their notifications sent, each at most once across instances (leases in PostgreSQL).
  const alertSchedule = new AlertScheduleRepository(pool);
  const webhookDeliveries = new WebhookDeliveryRepository(pool);
  const alertScheduler = new AlertScheduler(
    alertSchedule,
    new AlertMetricRepository(pool),
    {
      owner: INSTANCE_ID,
      leaseMs: config.ALERTS_LEASE_SECONDS * 1_000,
      settleMs: config.ALERTS_SETTLE_SECONDS * 1_000,
      batchSize: 50,
      // Five-minute windows are counted from minute rollups, which are kept two days.
      maxCatchUpMs: (MINUTE_ROLLUP_HOURS - 1) * HOUR_MS,
    },
    logger,
    (tenantId, change) => {
      live.publishAlertChanges(tenantId, [change]).catch((error: unknown) => logger.warn({ err: error }, 'an alert state change could not be sent live'));
    },
  );
  const alertDeliveries = new AlertDeliveryWorker(
    webhookDeliveries,
    new WebhookSender({
      timeoutMs: config.ALERT_WEBHOOK_TIMEOUT_MS,
      allowPrivateAddresses: config.ALERT_WEBHOOK_ALLOW_PRIVATE,
      userAgent: `Pulse-Webhooks/${VERSION}`,
    }),
    // A lease outlasts the longest send: a live instance never has a delivery taken from it mid-send.
    { owner: INSTANCE_ID, leaseMs: config.ALERT_WEBHOOK_TIMEOUT_MS * 3, concurrency: 16 },
    logger,
  );
  let alertRun: Promise<unknown> | null = null;
  const runAlerts = () => {
    // While PostgreSQL is out every tick would fail and say so; the rules wait, and catch up once it is back.
    if (!database.readyNow || alertRun || breakers.state('postgres-write') === 'open') return;
    alertRun = Promise.all([alertScheduler.tick(), alertDeliveries.tick()])
      .catch((error: unknown) => logger.warn({ err: error }, 'alert rules could not be evaluated or delivered; tried again at the next tick'))
      .finally(() => (alertRun = null));
  };
  const alertTimer = config.ALERTS_EVERY_SECONDS > 0 ? setInterval(runAlerts, config.ALERTS_EVERY_SECONDS * 1_000) : null;
  alertTimer?.unref();

  const eventIngest = new EventIngestService(committers, cache, live, spool, {
    maxBatchEvents: config.MAX_BATCH_EVENTS,
    quotas,
    turns: new TurnScheduler({
      budgetMs: INGEST_TURN_BUDGET_MS,
      freeTurns: () => (load.connectionsWaiting > 0 ? INGEST_FREE_TURNS_WHILE_CONNECTIONS_WAIT : 0),
    }),
    logger,
    visitorIds: new VisitorIdService(visitorSalts, (call) => breakers.run('postgres-write', call), logger),
  });
  const drainer = spool
    ? new SpoolDrainer(spool, (payload) => eventIngest.replaySpooled(payload), {
        intervalMs: config.SPOOL_DRAIN_INTERVAL_MS,
        canDrain: () => database.readyNow && breakers.state('postgres-write') !== 'open',
        logger,
      })
    : null;
  if (drainer) {
    breakers.onClose('postgres-write', () => drainer.trigger());
    drainer.start();
  }
  const health = new HealthService({
    mode: embedded ? 'embedded' : 'services',
    pingPostgres: () => pool.query('SELECT 1'),
    databaseStartup: () => database.describe(),
    pingRedis: redis ? () => redis.ping() : null,
    breakers,
    spool,
  });
  const requestStats = new RequestStats();
  const faults = new FaultInjectionService(faultInjector);
  const system = new SystemService(
    { mode: embedded ? 'embedded' : 'services', version: VERSION, database: embedded ? 'pglite' : 'postgresql', cache: redis ? 'redis' : 'memory' },
    {
      cacheStats: () => cache.stats(),
      breakerStatuses: () => health.breakerStatuses(),
      spoolDepth: () => health.spoolDepth(),
      deadLetters: () => health.deadLetters(),
      loadStatus: () => load.status(),
      lastSecondOfRequests: () => requestStats.lastSecond(),
      rateLimitRefusals: () => rateLimits.refusalCounts(),
    },
  );
  // One tenant's heavy reads hold at most its share of the pool; all tenants' reads leave room for ingestion.
  const reads = new DatabaseReads(
    breakers,
    poolBulkhead(embedded ? 1 : config.DB_POOL_SIZE, {
      keyShare: config.READ_TENANT_POOL_SHARE,
      totalShare: config.READ_TOTAL_POOL_SHARE,
      maxWaitMs: config.READ_QUEUE_WAIT_MS,
    }),
  );
  const members = new MemberService(membershipRepository, new InvitationRepository(prisma));
  const audit = new AuditService(new AuditRepository(prisma), logger);
  const services: Services = {
    apiKeys,
    eventIngest,
    live,
    eventQueries: new EventQueryService(new EventQueryRepository(prisma), reads, { maxPageBytes: config.EXPORT_MAX_BYTES }),
    timeline: new TimelineService(new TimelineRepository(pool), reads, { maxPageBytes: config.EXPORT_MAX_BYTES }),
    analytics: new AnalyticsService(new AnalyticsRepository(pool), new ValueRollupRepository(pool), cache, breakers, () => load.underPressure(), reads),
    cohorts: new CohortRetentionService(
      new CohortRepository(pool),
      new CachedAnswers(cache, breakers, reads),
      new TimeZoneCheck(() => breakers.run('postgres-read', () => new AnalyticsRepository(pool).timeZoneNames())),
    ),
    funnels: new FunnelService(new FunnelRepository(pool), new CachedAnswers(cache, breakers, reads)),
    goals: new GoalService(new GoalRepository(prisma), new GoalReportRepository(pool), new CachedAnswers(cache, breakers, reads)),
    boards: new BoardService(new BoardRepository(prisma)),
    alerts: new AlertRuleService(new AlertRuleRepository(prisma), new AlertWebhookRepository(prisma), (url) =>
      checkWebhookUrl(url, { allowPrivateAddresses: config.ALERT_WEBHOOK_ALLOW_PRIVATE }),
    ),
    usage: new UsageService(quotas, new QuotaUsageRepository(prisma), reads),
    access: new AccessService(apiKeys, rateLimits, sessions),
    sessions,
    users,
    members,
    accounts: new AccountService(users, sessions, members, audit),
    operator: new OperatorService({ tenants: tenantRepository, memberships: membershipRepository, users, sessions, apiKeys, audit }),
    tenantSettings: new TenantSettingsService(tenantRepository, apiKeys),
    audit,
    rateLimits,
    system,
    health,
    faults,
    scenarios: new ScenarioService(
      {
        metrics: () => system.metrics(),
        breakers,
        cache,
        sharedAnswers: l2 ?? l1,
        liveCacheTier: tiers.live,
        pgReadTimeoutMs: config.PG_READ_TIMEOUT_MS,
        load,
        spoolDepth: () => health.spoolDepth(),
        hasSpool: spool !== null,
        databaseInProcess: embedded !== null,
        rateLimit: (plan, kind) => ({ points: config.RATE_LIMITS[plan][kind], windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS }),
        createTenant: async (slug, plan) => {
          const tenant = await tenantRepository.create({ slug, name: `Scenario ${slug}`, plan });
          const [ingest, read, admin] = await Promise.all(SCOPES.map((scope) => apiKeys.createKey(tenant.id, scope, `scenario ${scope} key`)));
          return { id: tenant.id, keys: { ingest: ingest!.key, read: read!.key, admin: admin!.key } };
        },
        countStored: (tenantId, prefix) => eventRepository.countStored(tenantId, prefix),
        logger,
      },
      faults,
    ),
    demoData: new DemoDataService(tenantRepository, apiKeys, eventRepository, partitions),
  };

  void database.ready.then(
    () => {
      maintenance = maintainStorage().catch(logMaintenanceError);
      syncKeyDirectory();
      drainer?.trigger();
    },
    () => {},
  );

  return {
    mode: embedded ? 'embedded' : 'services',
    logger,
    services,
    pool,
    prisma,
    redis,
    breakers,
    load,
    requestStats,
    spool,
    spoolDrainer: drainer,
    databaseReady: database.ready,
    maintenanceSettled: () => maintenance,
    async close() {
      await services.scenarios.close();
      await database.stop();
      clearInterval(maintenanceTimer);
      if (valueRollupTimer) clearInterval(valueRollupTimer);
      await valueRollupRun;
      if (alertTimer) clearInterval(alertTimer);
      await alertRun;
      await alertDeliveries.settled();
      clearInterval(keyDirectoryTimer);
      await maintenance;
      live.close();
      await drainer?.stop();
      // Acknowledged means committed (or spooled): nothing submitted may be left behind.
      await Promise.all([committers.live.drain(), committers.replay.drain()]);
      await cache.close();
      await pubsub.close();
      breakers.shutdown();
      load.stop();
      stopShedReport();
      redis?.disconnect();
      await prisma.$disconnect();
      await pool.end();
      await embedded?.stop();
    },
  };
}
