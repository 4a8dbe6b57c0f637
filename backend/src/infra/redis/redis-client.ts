import { Cluster, Redis } from 'ioredis';

/**
 * Redis commands fail fast instead of queueing while Redis is away, so no request waits on an outage; and a
 * lost connection is retried at most about a second apart (ioredis 6's default backs off to 5 s), so the cache,
 * limits and pub/sub are back within a second or so of Redis, with some jitter so instances do not reconnect in step.
 */
const FAIL_FAST = {
  maxRetriesPerRequest: 1,
  commandTimeout: 1_000,
  retryStrategy: (attempt: number) => Math.min(attempt * 50, 1_000) + Math.floor(Math.random() * 100),
};

export type RedisConnection = Redis | Cluster;

export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    ...FAIL_FAST,
  });
  // ioredis reconnects by itself; without a listener an 'error' event would crash the process.
  redis.on('error', () => {});
  await redis.connect();
  return redis;
}

/** A Redis Cluster from its seed nodes ("host:port,host:port"), with the same fail-fast settings. */
export async function connectRedisCluster(seedNodes: string): Promise<Cluster> {
  const nodes = seedNodes.split(',').map((node) => {
    const [host, port] = node.trim().split(':');
    return { host: host!, port: Number(port) };
  });
  const cluster = new Cluster(nodes, {
    lazyConnect: true,
    enableOfflineQueue: false,
    redisOptions: FAIL_FAST,
  });
  cluster.on('error', () => {});
  await cluster.connect();
  return cluster;
}

/** The configured Redis: a cluster, a single server, or none (in-process twins take over). */
export async function connectConfiguredRedis(config: { REDIS_URL?: string; REDIS_CLUSTER_NODES?: string }): Promise<RedisConnection | null> {
  if (config.REDIS_CLUSTER_NODES) return connectRedisCluster(config.REDIS_CLUSTER_NODES);
  return config.REDIS_URL ? connectRedis(config.REDIS_URL) : null;
}
