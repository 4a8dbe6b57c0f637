import type { Request, RequestHandler } from 'express';
import type { AnyTRPCRouter } from '@trpc/server';
import { INGEST_LIMITS } from '@pulse/shared/ingest';
import { AppError } from '../errors/app-error.ts';
import type { Criticality, LoadMonitor } from '../infra/load/load-monitor.ts';
import { answerAppError } from './app-error-answer.ts';
import { apiRouteOf } from './api-route.ts';

const SHED_RETRY_AFTER_SECONDS = 1;
/**
 * A refused request's body of a declared length (at most the ingestion limit: larger ones got a 413 before
 * admission) is read and dropped, so its connection stays open: that costs less than the new connection its
 * sender would otherwise open for the retry (`npm run bench`'s spike: refusals' p99 29–72 ms over eight runs,
 * against 60–154 ms in three runs before). A chunked body, of a length nobody said, is not read: the connection closes
 * behind the answer.
 */
const MAX_DRAINED_BODY_BYTES = INGEST_LIMITS.maxRequestBytes;
/** The cost of a request whose body's length is not declared (chunked), in the bytes its admission counts. */
const UNDECLARED_BODY_BYTES = 64 * 1024;
/** Even a small request costs about this much to answer (in the bytes of a body that would cost as much). */
const MIN_REQUEST_UNITS = 4 * 1_024;

/**
 * The refusal of each criticality, made once: under a spike, refusals outnumber the requests admitted, and
 * each new Error would capture a stack nobody reads.
 */
const SHED_ERRORS: Record<Criticality, AppError> = {
  critical: shedError('critical'),
  default: shedError('default'),
  sheddable: shedError('sheddable'),
};

function shedError(criticality: Criticality): AppError {
  const message = `the server is overloaded and is refusing ${criticality} requests for now; retry in ${SHED_RETRY_AFTER_SECONDS} s`;
  return new AppError('SERVICE_UNAVAILABLE', message, { retryAfterSeconds: SHED_RETRY_AFTER_SECONDS });
}

/**
 * Admission control, before any body is read: each request's criticality comes from its route (a tRPC
 * procedure's `meta.criticality`; Segment ingestion is critical), never from the client. When the instance is
 * under pressure the least critical requests get a fast 503 with Retry-After.
 */
export function admissionControl(load: LoadMonitor, router: AnyTRPCRouter): RequestHandler {
  return (req, res, next) => {
    // The dashboard's files are cheap to serve, and a page that cannot load its script cannot show what the
    // service is going through: only the API is admitted by criticality.
    const route = apiRouteOf(req, res, router);
    if (!route) return next();
    const { criticality, isStream } = route;
    const workUnits = workUnitsOf(req);
    if (!load.tryAdmit(criticality, workUnits)) {
      shedResponses.add(res);
      // The answer goes out at once, before any of the body is read.
      answerAppError(req, res, router, SHED_ERRORS[criticality], { closeConnection: !bodyWorthDraining(req) });
      return;
    }
    // A live stream stays open for as long as someone watches: it is admitted, but is no work in flight.
    if (isStream) load.release(criticality, workUnits);
    else res.once('close', () => load.release(criticality, workUnits));
    next();
  };
}

const shedResponses = new WeakSet<object>();

/** Whether admission control refused this request (the request log leaves these to the shedding summary). */
export function wasShed(res: object): boolean {
  return shedResponses.has(res);
}

function bodyWorthDraining(req: Request): boolean {
  return req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) <= MAX_DRAINED_BODY_BYTES;
}

/** A request's cost as admission counts it: the bytes of its body (parsing, validating and writing them). */
function workUnitsOf(req: Request): number {
  const declared = req.headers['content-length'];
  if (declared !== undefined) return Math.max(MIN_REQUEST_UNITS, Number(declared) || 0);
  return req.headers['transfer-encoding'] ? UNDECLARED_BODY_BYTES : MIN_REQUEST_UNITS;
}
