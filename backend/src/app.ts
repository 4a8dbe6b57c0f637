import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { TRestErrorResponse } from '@pulse/shared/errors';
import { INGEST_LIMITS } from '@pulse/shared/ingest';
import { AppError, headersForAppError } from './errors/app-error.ts';
import { admissionControl } from './http/admission.ts';
import { requestLogging } from './http/request-logging.ts';
import { Metrics } from './http/metrics-route.ts';
import { segmentRoutes } from './http/segment-routes.ts';
import { trpcRoutes } from './http/trpc-routes.ts';
import type { Runtime } from './runtime.ts';
import { appRouter } from './trpc/app-router.ts';

/** The HTTP surface: tRPC at /trpc, health checks, metrics, and the built dashboard at /. */
export interface AppOptions {
  webDistDir: string;
  /** Express "trust proxy": which proxies' X-Forwarded-For sets the client address (rate limits by IP). */
  trustProxy?: boolean | number | string;
}

export function createApp(runtime: Runtime, options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(requestLogging(runtime.logger));

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
    loadStatus: () => runtime.load.status(),
    rateLimitRefusals: () => rateLimits.refusalCounts(),
    ingestOutcomes: () => eventIngest.outcomeCounts(),
    procedures: procedureTypes(),
    requestStats: runtime.requestStats,
  });
  app.get('/metrics', metrics.handler());
  app.use(metrics.timeRequests());

  // API calls below are admitted by criticality; health checks, metrics and the dashboard's files never are refused.
  app.use(admissionControl(runtime.load, appRouter));
  app.use('/trpc', ...trpcRoutes(runtime.services));
  app.use('/v1', segmentRoutes(runtime.services));

  serveDashboard(app, resolve(options.webDistDir));
  app.use(restErrorHandler);
  return app;
}

/** Each tRPC procedure's path and type (query, mutation, subscription). */
function procedureTypes(): Record<string, string> {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
  return Object.fromEntries(Object.entries(procedures).map(([path, procedure]) => [path, procedure._def.type]));
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

const restErrorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const appError = toAppError(error);
  if (!appError) req.log.error({ err: error }, 'request failed');
  const body: TRestErrorResponse = {
    error: appError
      ? { code: appError.code, message: appError.message }
      : { code: 'INTERNAL', message: 'internal error; it has been logged' },
  };
  if (appError) res.set(headersForAppError(appError));
  res.status(appError?.httpStatus ?? 500).json(body);
};

/** Errors of the body parser are the caller's, not ours: say what was wrong with the request. */
function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large') {
    const limitKb = INGEST_LIMITS.maxRequestBytes / 1024;
    return new AppError('PAYLOAD_TOO_LARGE', `the request body is larger than ${limitKb} KB; send fewer events per request`);
  }
  if (type === 'entity.parse.failed') {
    return new AppError('BAD_REQUEST', `malformed JSON: ${(error as Error).message}`);
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('BAD_REQUEST', (error as Error).message);
  }
  return null;
}
