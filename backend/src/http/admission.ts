import type { Request, RequestHandler, Response } from 'express';
import { getErrorShape, TRPCError, transformTRPCResponse, type AnyTRPCRouter } from '@trpc/server';
import type { TRestErrorResponse } from '@pulse/shared/errors';
import { AppError, headersForAppError } from '../errors/app-error.ts';
import type { Criticality, LoadMonitor } from '../infra/load/load-monitor.ts';

const RANK: Record<Criticality, number> = { sheddable: 0, default: 1, critical: 2 };
const SHED_RETRY_AFTER_SECONDS = 1;

/**
 * Admission control, before any body is read: each request's criticality comes from its route (a tRPC
 * procedure's `meta.criticality`; Segment ingestion is critical), never from the client. When the instance is
 * under pressure the least critical requests get a fast 503 with Retry-After.
 */
export function admissionControl(load: LoadMonitor, router: AnyTRPCRouter): RequestHandler {
  return (req, res, next) => {
    // The dashboard's files are cheap to serve, and a page that cannot load its script cannot show what the
    // service is going through: only the API is admitted by criticality.
    if (!isApiRequest(req)) return next();
    const { criticality, isStream } = routeOf(req, router);
    if (!load.tryAdmit(criticality)) {
      refuse(req, res, router, criticality);
      return;
    }
    // A live stream stays open for as long as someone watches: it is admitted, but is no work in flight.
    if (isStream) load.release(criticality);
    else res.once('close', () => load.release(criticality));
    next();
  };
}

function isApiRequest(req: Request): boolean {
  return req.path.startsWith('/trpc/') || req.path.startsWith('/v1/');
}

type ProcedureDef = { _def: { type: string; meta?: { criticality?: Criticality } } };

/** The route's criticality, and whether it is a live stream (a subscription) rather than one answer. */
function routeOf(req: Request, router: AnyTRPCRouter): { criticality: Criticality; isStream: boolean } {
  if (req.path.startsWith('/v1/')) return { criticality: 'critical', isStream: false };
  let paths: string[];
  try {
    paths = decodeURIComponent(req.path.slice('/trpc/'.length)).split(',');
  } catch {
    return { criticality: 'default', isStream: false };
  }
  const procedures = (router._def.procedures as Record<string, ProcedureDef | undefined>);
  const calls = paths.map((path) => procedures[path]?._def);
  // A batch is only as critical as its least critical call: a sheddable call cannot ride on an ingest.
  const criticality = calls
    .map((call) => call?.meta?.criticality ?? 'default')
    .reduce((least, next) => (RANK[next] < RANK[least] ? next : least), 'critical');
  return { criticality, isStream: req.method === 'GET' && calls.length === 1 && calls[0]?.type === 'subscription' };
}

function refuse(req: Request, res: Response, router: AnyTRPCRouter, criticality: Criticality): void {
  const error = new AppError(
    'SERVICE_UNAVAILABLE',
    `the server is overloaded and is refusing ${criticality} requests for now; retry in ${SHED_RETRY_AFTER_SECONDS} s`,
    { retryAfterSeconds: SHED_RETRY_AFTER_SECONDS },
  );
  res.status(503).set(headersForAppError(error));
  if (!req.path.startsWith('/trpc/')) {
    res.json({ error: { code: error.code, message: error.message } } satisfies TRestErrorResponse);
    return;
  }
  // tRPC's own error shape (through the app's error formatter), so tRPC clients read it as usual.
  const config = router._def._config;
  const path = req.path.slice('/trpc/'.length);
  const shape = getErrorShape({ config, error: new TRPCError({ code: 'SERVICE_UNAVAILABLE', cause: error }), type: 'unknown', path, input: undefined, ctx: undefined });
  const body = req.query.batch === '1' ? path.split(',').map(() => ({ error: shape })) : { error: shape };
  res.json(transformTRPCResponse(config, body));
}
