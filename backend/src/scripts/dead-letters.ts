// `npm run dead-letters`: what the spool set aside (acknowledged events PostgreSQL refused), and why.
// `npm run dead-letters -- --replay`: once the cause is fixed, moves them back into the spool; the running
// instances replay them within SPOOL_DRAIN_INTERVAL_MS (events already stored are skipped by message id), and
// whatever is still refused comes back here.
import { loadConfig } from '../config.ts';
import { connectConfiguredRedis } from '../infra/redis/redis-client.ts';
import { RedisStreamSpool } from '../infra/spool/redis-stream-spool.ts';

const SHOWN = 20;

const config = loadConfig();
const redis = await connectConfiguredRedis(config);
if (!redis) {
  console.log('No REDIS_URL or REDIS_CLUSTER_NODES: embedded mode has no spool, so nothing is ever set aside.');
  process.exit(0);
}
try {
  const spool = new RedisStreamSpool(redis, config.REDIS_KEY_PREFIX);
  const counts = await spool.deadLetters();
  console.log(`${counts.entries} dead letters holding ${counts.events} acknowledged events.`);
  for (const letter of await spool.peekDeadLetters(SHOWN)) {
    console.log(`  ${letter.id}  ${letter.events} events  ${letter.reason}`);
  }
  if (counts.entries > SHOWN) console.log(`  … and ${counts.entries - SHOWN} more`);
  if (process.argv.includes('--replay')) {
    const moved = await spool.requeueDeadLetters();
    console.log(`Moved ${moved.entries} dead letters (${moved.events} events) back into the spool; the running instances replay them.`);
  } else if (counts.entries > 0) {
    console.log('Once the cause is fixed: npm run dead-letters -- --replay');
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  redis.disconnect();
}
