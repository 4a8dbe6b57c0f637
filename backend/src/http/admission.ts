import type { RequestHandler } from 'express';
import type { AnyTRPCRouter } from '@trpc/server';
import { AppError } from '../errors/app-error.ts';
import type { LoadMonitor } from '../infra/load/load-monitor.ts';
import { answerAppError } from './app-error-answer.ts';
import { apiRouteOf } from './api-route.ts';

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
    const route = apiRouteOf(req, res, router);
    if (!route) return next();
    const { criticality, isStream } = route;
    if (!load.tryAdmit(criticality)) {
      const error = new AppError(
        'SERVICE_UNAVAILABLE',
        `the server is overloaded and is refusing ${criticality} requests for now; retry in ${SHED_RETRY_AFTER_SECONDS} s`,
        { retryAfterSeconds: SHED_RETRY_AFTER_SECONDS },
      );
      answerAppError(req, res, router, error);
      return;
    }
    // A live stream stays open for as long as someone watches: it is admitted, but is no work in flight.
    if (isStream) load.release(criticality);
    else res.once('close', () => load.release(criticality));
    next();
  };
}
