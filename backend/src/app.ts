import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { TRestErrorResponse } from '@pulse/shared/errors';
import { INGEST_LIMITS } from '@pulse/shared/ingest';
import { AppError } from './errors/app-error.ts';
import { asAppError } from './errors/dependency-outage.ts';
import { admissionControl } from './http/admission.ts';
import { answerAppError } from './http/app-error-answer.ts';
import { CSV_ROUTE, csvDownloads } from './http/csv-routes.ts';
import { refuseDeclaredOversizeBodies } from './http/body-limit.ts';
import { requestDeadline } from './http/request-deadline.ts';
import { corsPolicy, securityHeaders } from './http/security-headers.ts';
import { requestLogging } from './http/request-logging.ts';
import { Metrics } from './http/metrics-route.ts';
import { rudderStackSourceConfig } from './http/rudderstack-routes.ts';
import { segmentRoutes } from './http/segment-routes.ts';
import { trackerScript } from './http/tracker-script.ts';
import { trpcRoutes } from './http/trpc-routes.ts';
import { procedureTypesOf } from './http/trpc-router-internals.ts';
import type { Runtime } from './runtime.ts';
import { appRouter } from './trpc/app-router.ts';

/**
 * The HTTP surface: tRPC at /trpc, dashboard tables as CSV at /api/csv, Segment's and RudderStack's ingestion API at
 * /v1 (and their SDKs' settings), Pulse's tracker at /pulse.js, health checks, metrics, and the built dashboard at /.
 */
export interface AppOptions {
  webDistDir: string;
  /** Express "trust proxy": which proxies' X-Forwarded-For sets the client address (rate limits by IP). */
  trustProxy?: boolean | number | string;
  /** Exact origins whose pages may call the API with credentials (CORS_ORIGINS); /v1 takes any origin. */
  corsOrigins: readonly string[];
  /** API calls not answered within this get a 503; live streams are exempt (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Calls one tRPC batch may carry (TRPC_MAX_BATCH_CALLS); default DEFAULT_MAX_BATCH_CALLS. */
  maxBatchCalls?: number;
}

export function createApp(runtime: Runtime, options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(requestLogging(runtime.logger));
  app.use(securityHeaders());
  app.use(corsPolicy(options.corsOrigins));

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const health = await runtime.services.health.readiness();
    res.status(health.status === 'unavailable' ? 503 : 200).json(health);
  });

  const { system, health, rateLimits, eventIngest } = runtime.services;
  const metrics = new Metrics({
    cacheStats: () => system.cacheStats(),
    breakerStatuses: () => health.breakerStatuses(),
    spoolDepth: () => health.spoolDepth(),
    spoolReplays: () => runtime.spoolDrainer?.counts() ?? {},
    deadLetters: () => health.deadLetters(),
    loadStatus: () => runtime.load.status(),
    rateLimitRefusals: () => rateLimits.refusalCounts(),
    ingestOutcomes: () => eventIngest.outcomeCounts(),
    procedures: procedureTypes(),
    requestStats: runtime.requestStats,
  });
  app.get('/metrics', metrics.handler());
  app.use(metrics.timeRequests());
  app.use(refuseDeclaredOversizeBodies(INGEST_LIMITS.maxRequestBytes, appRouter));

  // API calls below are admitted by criticality; health checks, metrics and the dashboard's files never are refused.
  app.use(admissionControl(runtime.load, appRouter));
  app.use(requestDeadline(options.requestTimeoutMs, appRouter));
  app.use('/trpc', ...trpcRoutes(runtime.services, options.maxBatchCalls));
  app.get(CSV_ROUTE, csvDownloads(runtime.services));
  const ingestion = segmentRoutes(runtime.services, { onSdkReport: () => metrics.countSdkReport() });
  app.use('/v1', ingestion);
  // RudderStack's beacons (navigator.sendBeacon on page hide) go to /beacon/v1/batch?writeKey=…
  app.use('/beacon/v1', ingestion);
  app.get('/sourceConfig', rudderStackSourceConfig(runtime.services));
  app.get('/pulse.js', trackerScript(resolve(options.webDistDir)));

  serveDashboard(app, resolve(options.webDistDir));
  app.use(restErrorHandler);
  return app;
}

/** Each tRPC procedure's path and type (query, mutation, subscription). */
function procedureTypes(): Record<string, string> {
  return procedureTypesOf(appRouter);
}

function serveDashboard(app: Express, webDistDir: string): void {
  const indexHtml = resolve(webDistDir, 'index.html');
  if (!existsSync(indexHtml)) {
    app.get('/', (_req, res) => {
      res.type('text').send('The dashboard is not built yet: run `npm run build`, or `npm run dev` for development.');
    });
    return;
  }
  app.use(express.static(webDistDir, { index: false, maxAge: '1h' }));
  app.get('/', (_req, res) => res.sendFile(indexHtml));
}

const restErrorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  // An answer under way cannot become an error: Express's own handler cuts the connection.
  if (res.headersSent) return next(error);
  const appError = toAppError(error);
  if (appError) {
    // A body refused for its size is not read to its end: the connection closes after the answer.
    answerAppError(req, res, appRouter, appError, { closeConnection: appError.code === 'PAYLOAD_TOO_LARGE' && !req.complete });
    return;
  }
  req.log.error({ err: error }, 'request failed');
  res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error; it has been logged' } } satisfies TRestErrorResponse);
};

/** Errors a middleware marks as the client's (http-errors with a 4xx status) are answered as such, with their message. */
function toAppError(error: unknown): AppError | null {
  const known = asAppError(error);
  if (known) return known;
  const { status, expose, message } = error as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500 || expose !== true || typeof message !== 'string') return null;
  return new AppError(status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', message);
}
