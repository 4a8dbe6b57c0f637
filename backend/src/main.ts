import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createApp } from './app.ts';
import { ConfigError, REPO_ROOT, loadConfig } from './config.ts';
import { createHttpServer } from './http/http-server.ts';
import { startRuntime, type Runtime } from './runtime.ts';
import { seededKeysReport } from './seeded-keys-report.ts';
import { DEFAULT_SEED } from './services/demo-data-service.ts';

/** How long requests in flight at SIGTERM get to finish. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Listen addresses that 127.0.0.1 reaches. */
const LOOPBACK_REACHABLE = new Set(['0.0.0.0', '::', '127.0.0.1', 'localhost']);

async function main(): Promise<void> {
  const config = loadConfig();
  console.log(
    config.DATABASE_URL
      ? 'Connecting to PostgreSQL and applying migrations…'
      : 'Starting embedded PostgreSQL (PGlite) in ' + resolve(REPO_ROOT, config.DATA_DIR) + '…',
  );
  const runtime = await startRuntime({ ...config, DATA_DIR: resolve(REPO_ROOT, config.DATA_DIR) });
  const demoMode = config.DEMO_MODE ?? runtime.mode === 'embedded';
  // PostgreSQL may not answer yet: the server listens meanwhile (events go to the spool) and start-up retries.
  // Only a failure that waiting cannot cure (a migration that does not apply) ends the process, as before.
  let shuttingDown = false;
  runtime.databaseReady.catch((error: unknown) => {
    if (shuttingDown) return;
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });

  const app = createApp(runtime, {
    webDistDir: resolve(REPO_ROOT, config.WEB_DIST_DIR),
    trustProxy: config.TRUST_PROXY,
    corsOrigins: config.CORS_ORIGINS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    maxBatchCalls: config.TRPC_MAX_BATCH_CALLS,
  });
  const server = createHttpServer(app, { headersTimeoutMs: config.HEADERS_TIMEOUT_MS, requestTimeoutMs: config.REQUEST_TIMEOUT_MS });
  server.listen(config.PORT, config.HOST, () => {
    const { port } = server.address() as AddressInfo;
    // Under a spike, requests wait in the kernel before this process sees them: ingestion's scheduler watches that queue.
    runtime.load.watchAcceptQueue(port);
    const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
    console.log(`Pulse ${runtime.services.system.systemInfo().version} listening on ${url} (${runtime.mode} mode)`);
    // The demo's scenarios send their traffic to this process over loopback, never anywhere else.
    if (LOOPBACK_REACHABLE.has(config.HOST)) runtime.services.scenarios.attach(`http://127.0.0.1:${port}`);
    prepareAccounts(runtime, { demoMode, ownerEmail: config.OWNER_EMAIL }).then(
      (lines) => lines.forEach((line) => console.log(line.replaceAll('{url}', url))),
      (error: unknown) => console.error('the owner account or the demo data could not be prepared:', error),
    );
  });

  // Keep-alive clients would otherwise keep a closing server busy forever: answers sent from now on close
  // their connection, and whatever is still open after the grace period is cut.
  server.on('request', (_req, res: ServerResponse) => {
    if (shuttingDown && !res.headersSent) res.setHeader('connection', 'close');
  });
  const shutdown = (signal: string) => {
    console.log(`${signal}: shutting down`);
    shuttingDown = true;
    // Live streams never end by themselves: end them, so their connections can close like the others.
    runtime.services.live.close();
    server.close(() => {
      runtime.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/**
 * Once the database is ready: the demo tenant and its data (demo mode), and the owner account (created on the
 * first start, its password printed then; made owner of tenants that have none). A demo start prints a fresh
 * one-time sign-in link every time, so whoever restarts it can always get in. `{url}` stands for the address.
 */
async function prepareAccounts(runtime: Runtime, options: { demoMode: boolean; ownerEmail: string }): Promise<string[]> {
  await runtime.databaseReady;
  const lines: string[] = [];
  if (options.demoMode) {
    const seeded = await runtime.services.demoData.seed({ ...DEFAULT_SEED, now: new Date() });
    if (seeded.created) lines.push(seededKeysReport(seeded));
  }
  const owner = await runtime.services.accounts.ensureOwner(options.ownerEmail);
  if (owner.createdWithPassword) {
    lines.push(`Owner account created: sign in as ${owner.email} with the password ${owner.createdWithPassword} (shown only now; change it on the dashboard).`);
  }
  if (!options.demoMode) return lines;
  const link = await runtime.services.accounts.signInLinkFor(options.ownerEmail);
  if (link) lines.push(`Open the dashboard, signed in as ${options.ownerEmail} (a one-time link, valid 24 h): {url}/?signin=${link.token}`);
  else lines.push(`The owner ${options.ownerEmail} has no account here; make a sign-in link with: npm run admin -- sign-in-link <email>`);
  const keys = await runtime.services.demoData.createDemoKeys();
  if (keys) {
    lines.push(`Or with the demo tenant's read key: {url}/?key=${keys.signIn}`);
    lines.push(`Admin key of the demo tenant (npm run demo, API calls): ${keys.admin}`);
  }
  lines.push('Locked out? npm run admin -- reset-password <email>  (see README, "Accounts").');
  return lines;
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
