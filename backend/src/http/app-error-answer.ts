import type { Request, Response } from 'express';
import { getErrorShape, TRPCError, transformTRPCResponse, type AnyTRPCRouter } from '@trpc/server';
import type { TRestErrorResponse } from '@pulse/shared/errors';
import { APP_ERROR_STATUS, headersForAppError, type AppError } from '../errors/app-error.ts';
import { routerConfigOf } from './trpc-router-internals.ts';

export interface AnswerOptions {
  /** The request's body is not to be read (too large, or too slow): close the connection after the answer instead of waiting for it. */
  closeConnection?: boolean;
}

/**
 * Answers an error that tRPC's own handlers did not (admission, body limits, the deadline, the REST error
 * handler): in tRPC's error shape under /trpc (through the app's error formatter, one per call of a batch), so
 * tRPC clients read it as usual, and as the REST error body elsewhere.
 */
export function answerAppError(req: Request, res: Response, router: AnyTRPCRouter, error: AppError, options: AnswerOptions = {}): void {
  res.status(error.httpStatus).set(headersForAppError(error));
  if (options.closeConnection) res.set('connection', 'close');
  const fullPath = req.baseUrl + req.path;
  if (!fullPath.startsWith('/trpc/')) {
    sendJson(res, { error: { code: error.code, message: error.message } } satisfies TRestErrorResponse);
    return;
  }
  const config = routerConfigOf(router);
  const path = fullPath.slice('/trpc/'.length);
  const cause = new TRPCError({ code: APP_ERROR_STATUS[error.code].trpcCode, cause: error });
  const shape = getErrorShape({ config, error: cause, type: 'unknown', path, input: undefined, ctx: undefined });
  const body = req.query.batch === '1' ? path.split(',').map(() => ({ error: shape })) : { error: shape };
  sendJson(res, transformTRPCResponse(config, body));
}

/**
 * JSON written as is: Express's `res.json` would also hash the body for an ETag, which no error answer needs
 * and which, under a spike, every refusal would pay for.
 */
function sendJson(res: Response, body: unknown): void {
  const text = JSON.stringify(body);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}
