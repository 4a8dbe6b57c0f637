import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { TRunMode } from '@pulse/shared/system';
import type { AppConfig } from './config.ts';
import { MemoryCache } from './infra/cache/memory-cache.ts';
import { RedisCache } from './infra/cache/redis-cache.ts';
import type { KeyValueCache } from './infra/cache/key-value-cache.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './infra/db/embedded-postgres.ts';
import { migrate } from './infra/db/migrator.ts';
import { createPgPool } from './infra/db/pg-pool.ts';
import { createPrismaClient, type PrismaClient } from './infra/db/prisma.ts';
import { MemoryPubSub } from './infra/pubsub/memory-pubsub.ts';
import type { PubSub } from './infra/pubsub/pubsub.ts';
import { RedisPubSub } from './infra/pubsub/redis-pubsub.ts';
import { createRateLimiter } from './infra/rate-limit/create-rate-limiter.ts';
import { connectRedis } from './infra/redis/redis-client.ts';
import { AnalyticsRepository } from './repositories/analytics-repository.ts';
import { ApiKeyRepository } from './repositories/api-key-repository.ts';
import { EventPartitions } from './infra/db/event-partitions.ts';
import { GroupCommitter } from './infra/db/group-commit.ts';
import { EventRepository, storedEventKey, type EventRow } from './repositories/event-repository.ts';
import { EventQueryRepository } from './repositories/event-query-repository.ts';
import { RetentionRepository } from './repositories/retention-repository.ts';
import { TenantRepository } from './repositories/tenant-repository.ts';
import { AnalyticsService } from './services/analytics-service.ts';
import { ApiKeyService } from './services/api-key-service.ts';
import { DemoDataService } from './services/demo-data-service.ts';
import { EventIngestService } from './services/event-ingest-service.ts';
import { EventQueryService } from './services/event-query-service.ts';
import { RateLimitService } from './services/rate-limit-service.ts';
import { RetentionService } from './services/retention-service.ts';
import { SystemService } from './services/system-service.ts';

export interface Services {
  apiKeys: ApiKeyService;
  eventIngest: EventIngestService;
  eventQueries: EventQueryService;
  analytics: AnalyticsService;
  rateLimits: RateLimitService;
  system: SystemService;
  demoData: DemoDataService;
}

export interface Runtime {
  mode: TRunMode;
  services: Services;
  pool: pg.Pool;
  prisma: PrismaClient;
  redis: Redis | null;
  /** Resolves when the storage maintenance running now (at start: straggler adoption, retention) is done. */
  maintenanceSettled(): Promise<void>;
  close(): Promise<void>;
}

const VERSION = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version as string;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Partitions for yesterday to three days ahead, so today's events never land in the default partition. */
async function ensureCurrentPartitions(partitions: EventPartitions): Promise<void> {
  const now = Date.now();
  await partitions.ensureDays(new Date(now - DAY_MS), new Date(now + 3 * DAY_MS));
}

function logMaintenanceError(error: unknown): void {
  console.error('storage maintenance (partitions, retention) failed; it runs again within the hour:', error);
}

/**
 * The composition root: connects to PostgreSQL (or starts the embedded one), applies migrations, connects
 * to Redis (or picks the in-process twins), and wires repositories into services.
 */
export async function startRuntime(config: AppConfig): Promise<Runtime> {
  const embedded: EmbeddedPostgres | null = config.DATABASE_URL
    ? null
    : await startEmbeddedPostgres(join(config.DATA_DIR, 'pglite'));
  const databaseUrl = config.DATABASE_URL ?? embedded!.url;
  // PGlite runs one session at a time: a larger pool would interleave transactions.
  const pool = createPgPool(databaseUrl, embedded ? 1 : config.DB_POOL_SIZE);
  await migrate(pool);
  const prisma = createPrismaClient(pool);

  const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL) : null;
  const cache: KeyValueCache = redis ? new RedisCache(redis, config.REDIS_KEY_PREFIX) : new MemoryCache();
  const pubsub: PubSub = redis ? new RedisPubSub(redis) : new MemoryPubSub();
  const readLimiter = createRateLimiter(redis, {
    points: config.READ_RATE_LIMIT_PER_MINUTE,
    durationSeconds: 60,
    keyPrefix: `${config.REDIS_KEY_PREFIX}rate-limit:read`,
  });

  const partitions = new EventPartitions(pool);
  const tenantRepository = new TenantRepository(prisma);
  const retention = new RetentionService(tenantRepository, new RetentionRepository(pool), partitions);
  const maintainStorage = async () => {
    await ensureCurrentPartitions(partitions);
    await partitions.adoptStragglers();
    await retention.enforce();
  };
  // Only the partitions must exist before traffic; adopting stragglers and retention (possibly long
  // DELETEs) run in the background, at start and then hourly.
  await ensureCurrentPartitions(partitions);
  let maintenance = maintainStorage().catch(logMaintenanceError);
  const maintenanceTimer = setInterval(() => {
    maintenance = maintainStorage().catch(logMaintenanceError);
  }, HOUR_MS);
  maintenanceTimer.unref();

  const eventRepository = new EventRepository(pool);
  const committer = new GroupCommitter((rows: EventRow[]) => eventRepository.insertMany(rows), (row) => storedEventKey(row.tenantId, row.messageId), {
    maxBatchRows: config.INGEST_FLUSH_MAX_ROWS,
    flushDelayMs: config.INGEST_FLUSH_DELAY_MS,
    maxQueuedRows: config.INGEST_QUEUE_MAX_ROWS,
    // PGlite has one connection: one flush at a time. Otherwise the next flush gathers while one writes.
    maxConcurrentFlushes: embedded ? 1 : 2,
  });
  const apiKeys = new ApiKeyService(new ApiKeyRepository(prisma));
  const services: Services = {
    apiKeys,
    eventIngest: new EventIngestService(committer, cache, pubsub, { maxBatchEvents: config.MAX_BATCH_EVENTS }),
    eventQueries: new EventQueryService(new EventQueryRepository(prisma)),
    analytics: new AnalyticsService(new AnalyticsRepository(pool), cache),
    rateLimits: new RateLimitService(readLimiter),
    system: new SystemService({
      mode: embedded ? 'embedded' : 'services',
      version: VERSION,
      database: embedded ? 'pglite' : 'postgresql',
      cache: redis ? 'redis' : 'memory',
    }),
    demoData: new DemoDataService(tenantRepository, apiKeys, eventRepository, partitions),
  };

  return {
    mode: embedded ? 'embedded' : 'services',
    services,
    pool,
    prisma,
    redis,
    maintenanceSettled: () => maintenance,
    async close() {
      clearInterval(maintenanceTimer);
      await maintenance;
      // Acknowledged means committed: nothing submitted may be left behind.
      await committer.drain();
      await pubsub.close();
      redis?.disconnect();
      await prisma.$disconnect();
      await pool.end();
      await embedded?.stop();
    },
  };
}
