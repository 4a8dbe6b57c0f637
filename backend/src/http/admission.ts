import type { Request, RequestHandler } from 'express';
import type { AnyTRPCRouter } from '@trpc/server';
import { AppError } from '../errors/app-error.ts';
import type { LoadMonitor } from '../infra/load/load-monitor.ts';
import { answerAppError } from './app-error-answer.ts';
import { apiRouteOf } from './api-route.ts';

const SHED_RETRY_AFTER_SECONDS = 1;
/** The cost of a request whose body's length is not declared (chunked), in the bytes its admission counts. */
const UNDECLARED_BODY_BYTES = 64 * 1024;
/** Even a small request costs about this much to answer (in the bytes of a body that would cost as much). */
const MIN_REQUEST_UNITS = 4 * 1_024;

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
      const error = new AppError(
        'SERVICE_UNAVAILABLE',
        `the server is overloaded and is refusing ${criticality} requests for now; retry in ${SHED_RETRY_AFTER_SECONDS} s`,
        { retryAfterSeconds: SHED_RETRY_AFTER_SECONDS },
      );
      // A refused upload is not read: the answer goes out at once and the connection closes behind it.
      answerAppError(req, res, router, error, { closeConnection: hasBody(req) });
      return;
    }
    // A live stream stays open for as long as someone watches: it is admitted, but is no work in flight.
    if (isStream) load.release(criticality, workUnits);
    else res.once('close', () => load.release(criticality, workUnits));
    next();
  };
}

function hasBody(req: Request): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

/** A request's cost as admission counts it: the bytes of its body (parsing, validating and writing them). */
function workUnitsOf(req: Request): number {
  const declared = req.headers['content-length'];
  if (declared !== undefined) return Math.max(MIN_REQUEST_UNITS, Number(declared) || 0);
  return req.headers['transfer-encoding'] ? UNDECLARED_BODY_BYTES : MIN_REQUEST_UNITS;
}
