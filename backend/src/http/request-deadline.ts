import type { Response, RequestHandler } from 'express';
import type { AnyTRPCRouter } from '@trpc/server';
import { AppError } from '../errors/app-error.ts';
import { answerAppError } from './app-error-answer.ts';
import { apiRouteOf } from './api-route.ts';

const RETRY_AFTER_SECONDS = 5;

/**
 * A deadline for answering each API call: one not answered within `timeoutMs` (a dependency hangs, a body
 * crawls in) gets a 503 saying so, and whatever the handler answers later is dropped. Live streams are
 * exempt: they stay open for as long as someone watches.
 */
export function requestDeadline(timeoutMs: number, router: AnyTRPCRouter): RequestHandler {
  const seconds = timeoutMs / 1_000;
  return (req, res, next) => {
    const route = apiRouteOf(req, res, router);
    if (!route || route.isStream) return next();
    const timer = setTimeout(() => {
      // An answer already under way cannot be replaced by an error: it is cut instead.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const error = new AppError(
        'SERVICE_UNAVAILABLE',
        `the server did not answer within ${seconds} s (a dependency is slow, or the request arrived too slowly); ` +
          `retry in ${RETRY_AFTER_SECONDS} s: events sent again with the same messageId are stored once`,
        { retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
      answerAppError(req, res, router, error, { closeConnection: !req.complete });
      dropLateAnswer(res);
    }, timeoutMs);
    res.once('close', () => clearTimeout(timer));
    next();
  };
}

/**
 * The abandoned handler still runs (its abort signal fires with the response's close) and may answer: that
 * answer must go nowhere rather than throw "headers already sent" or overwrite the status the logs record.
 */
function dropLateAnswer(res: Response): void {
  const statusCode = res.statusCode;
  Object.defineProperty(res, 'statusCode', { get: () => statusCode, set: () => {}, configurable: true });
  const ignore = () => res;
  Object.assign(res, {
    setHeader: ignore,
    appendHeader: ignore,
    removeHeader: ignore,
    writeHead: ignore,
    flushHeaders: ignore,
    end: ignore,
    write: () => true,
  });
}
