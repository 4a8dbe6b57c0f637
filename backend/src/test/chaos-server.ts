import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import './provided-context.ts';
import type { Runtime } from '../runtime.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { startTestRuntime } from './test-runtime.ts';
import { createTestTenant, type TestTenant } from './test-tenant.ts';

export interface ChaosServer {
  /** An in-test runtime on the same database, for set-up and for checking what was stored. */
  runtime: Runtime;
  tenant: TestTenant;
  server: ServerProcess;
  /** In front of the dependency named by `behindProxy`; the test cuts and restores it. */
  proxy: TcpProxy | null;
  close(): Promise<void>;
}

/**
 * A real server process on this run's PostgreSQL and Redis (with a Redis key prefix of its own), optionally
 * reaching one of them through a TCP proxy, so a test can cut that dependency without touching the shared one.
 */
export async function startChaosServer(options: { label: string; behindProxy?: 'postgres' | 'redis'; env?: Record<string, string> }): Promise<ChaosServer> {
  const runtime = await startTestRuntime();
  const tenant = await createTestTenant(runtime, options.label);
  const urls = { postgres: new URL(inject('databaseUrl')), redis: new URL(inject('redisUrl')) };
  let proxy: TcpProxy | null = null;
  if (options.behindProxy) {
    const target = urls[options.behindProxy];
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || (options.behindProxy === 'postgres' ? 5432 : 6379)) });
    target.host = `${proxy.host}:${proxy.port}`;
  }
  const server = await startServerProcess({
    DATABASE_URL: urls.postgres.toString(),
    REDIS_URL: urls.redis.toString(),
    REDIS_KEY_PREFIX: `pulse-chaos:${randomBytes(4).toString('hex')}:`,
    // Test files run side by side on two cores: the event-loop delay they cause one another is not this
    // server's load, so shedding here follows the in-flight count unless a test asks otherwise.
    SHED_EVENT_LOOP_DELAY_MS: '60000',
    ...options.env,
  });
  return {
    runtime,
    tenant,
    server,
    proxy,
    async close() {
      await server.stop();
      await proxy?.close();
      await runtime.close();
    },
  };
}
