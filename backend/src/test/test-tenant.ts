import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createApp, type AppOptions } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createHttpServer, type ServerTimeouts } from '../http/http-server.ts';
import { TenantRepository } from '../repositories/tenant-repository.ts';
import type { Runtime } from '../runtime.ts';

export interface TestTenant {
  id: number;
  slug: string;
  plan: string;
  keys: { ingest: string; read: string; admin: string };
}

/** A fresh tenant with one key per scope; unique slugs keep test files independent of each other. */
export async function createTestTenant(runtime: Runtime, label = 'tenant'): Promise<TestTenant> {
  const slug = `${label}-${randomBytes(4).toString('hex')}`;
  const tenant = await new TenantRepository(runtime.prisma).create({ slug, name: `Test ${label}`, plan: 'pro' });
  const apiKeys = runtime.services.apiKeys;
  const [ingest, read, admin] = await Promise.all((['ingest', 'read', 'admin'] as const).map((scope) => apiKeys.createKey(tenant.id, scope, `test ${scope}`)));
  return { id: tenant.id, slug, plan: tenant.plan, keys: { ingest: ingest!.key, read: read!.key, admin: admin!.key } };
}

const DEFAULTS = loadConfig({});
const DEFAULT_TIMEOUTS: ServerTimeouts = { headersTimeoutMs: DEFAULTS.HEADERS_TIMEOUT_MS, requestTimeoutMs: DEFAULTS.REQUEST_TIMEOUT_MS };

/** The real Express app on an ephemeral loopback port; the configuration's defaults unless `options` say otherwise. */
export async function startTestServer(runtime: Runtime, options: Partial<AppOptions> & { timeouts?: ServerTimeouts } = {}): Promise<TestServer> {
  const { timeouts, ...appOptions } = options;
  const app = createApp(runtime, {
    webDistDir: 'web/dist',
    corsOrigins: DEFAULTS.CORS_ORIGINS,
    requestTimeoutMs: DEFAULTS.REQUEST_TIMEOUT_MS,
    ...appOptions,
  });
  const server = await listenOnLoopback(app, timeouts);
  runtime.services.scenarios.attach(server.url);
  return server;
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Any Express app on an ephemeral loopback port. */
export async function listenOnLoopback(app: Express, timeouts: ServerTimeouts = DEFAULT_TIMEOUTS): Promise<TestServer> {
  const server = createHttpServer(app, timeouts).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
