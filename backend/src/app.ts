import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import type { TRestErrorResponse } from '@pulse/shared/errors';
import { AppError } from './errors/app-error.ts';
import type { Runtime } from './runtime.ts';
import { appRouter } from './trpc/app-router.ts';
import { createContextFactory } from './trpc/context.ts';

const MAX_BODY_BYTES = 1_048_576;

/** The HTTP surface: tRPC at /trpc, health checks, and the built dashboard at /. */
export function createApp(runtime: Runtime, options: { webDistDir: string }): Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const checks = await readinessChecks(runtime);
    const ready = Object.values(checks).every((check) => check === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', mode: runtime.mode, checks });
  });

  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: createContextFactory(runtime.services),
      maxBodySize: MAX_BODY_BYTES,
      onError({ error, path }) {
        // AppErrors are answers to the caller (bad input, no key, ...); anything else is our bug.
        if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof AppError)) {
          console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
        }
      },
    }),
  );

  serveDashboard(app, resolve(options.webDistDir));
  app.use(restErrorHandler);
  return app;
}

async function readinessChecks(runtime: Runtime): Promise<Record<string, string>> {
  const checks: Record<string, string> = {};
  checks.postgres = await runtime.pool.query('SELECT 1').then(() => 'ok', (error: Error) => error.message);
  if (runtime.redis) checks.redis = await runtime.redis.ping().then(() => 'ok', (error: Error) => error.message);
  return checks;
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

const restErrorHandler: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const appError = error instanceof AppError ? error : null;
  if (!appError) console.error('request failed:', error);
  const body: TRestErrorResponse = {
    error: appError
      ? { code: appError.code, message: appError.message }
      : { code: 'INTERNAL', message: 'internal error; it has been logged' },
  };
  if (appError?.options.retryAfterSeconds) res.setHeader('Retry-After', String(appError.options.retryAfterSeconds));
  res.status(appError?.httpStatus ?? 500).json(body);
};
