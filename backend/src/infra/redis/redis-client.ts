import { Redis } from 'ioredis';

/** Redis commands fail fast instead of queueing while Redis is away, so no request waits on an outage. */
const COMMAND_TIMEOUT_MS = 1_000;

export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
  });
  // ioredis reconnects by itself; without a listener an 'error' event would crash the process.
  redis.on('error', () => {});
  await redis.connect();
  return redis;
}
