import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Request, RequestHandler } from 'express';
import type { AnyTRPCRouter } from '@trpc/server';
import getRawBody from 'raw-body';
import { AppError, bodyTooLargeError } from '../errors/app-error.ts';
import { answerAppError } from './app-error-answer.ts';

const DECOMPRESSORS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * Refuses, without reading a byte of it, a request whose Content-Length is past `maxBytes`: the answer goes
 * out at once and the connection closes, whatever the client still means to send.
 */
export function refuseDeclaredOversizeBodies(maxBytes: number, router: AnyTRPCRouter): RequestHandler {
  return (req, res, next) => {
    const declaredBytes = Number(req.headers['content-length']);
    if (!(declaredBytes > maxBytes)) return next();
    answerAppError(req, res, router, bodyTooLargeError(maxBytes, declaredBytes), { closeConnection: true });
  };
}

/**
 * Reads a JSON body of at most `maxBytes` (decompressed: gzip, deflate or br) into `req.body`; no body leaves it
 * undefined. Unlike express.json(), a body that grows past the limit is refused as soon as it does: body-parser
 * reads a refused body to its end before answering, so a client that never ends one would never hear the 413.
 */
export function readJsonBody(maxBytes: number): RequestHandler {
  return async (req, _res, next) => {
    const text = await readText(req, maxBytes);
    req.body = text.length === 0 ? undefined : parseJson(text);
    next();
  };
}

async function readText(req: Request, maxBytes: number): Promise<string> {
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return '';
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decompressor = encoding === 'identity' ? null : DECOMPRESSORS[encoding];
  if (decompressor === undefined) {
    throw new AppError('BAD_REQUEST', `the body's Content-Encoding "${encoding}" is not supported; send it as is, or as gzip, deflate or br`);
  }
  const decoder = decompressor?.();
  const stream = decoder ? req.pipe(decoder) : req;
  try {
    // The declared length is the encoded one: it is checked only when the body arrives as is.
    return await getRawBody(stream, { limit: maxBytes, length: decoder ? null : req.headers['content-length'], encoding: 'utf-8' });
  } catch (error) {
    if (decoder) {
      req.unpipe(decoder);
      decoder.destroy();
    }
    throw bodyError(error, maxBytes, encoding);
  }
}

function bodyError(error: unknown, maxBytes: number, encoding: string): AppError {
  const { type, expected, received } = error as { type?: string; expected?: number; received?: number };
  if (type === 'entity.too.large') return bodyTooLargeError(maxBytes);
  if (type === 'request.size.invalid') {
    return new AppError('BAD_REQUEST', `the body has ${received} bytes but its Content-Length says ${expected}`);
  }
  if (type === 'request.aborted') return new AppError('BAD_REQUEST', 'the client closed the request before its body arrived');
  if (typeof (error as { code?: unknown }).code === 'string' && encoding !== 'identity') {
    return new AppError('BAD_REQUEST', `the body is not valid ${encoding}: ${(error as Error).message}`);
  }
  return new AppError('BAD_REQUEST', `the body could not be read: ${(error as Error).message}`, { cause: error });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('BAD_REQUEST', `malformed JSON: ${(error as Error).message}`);
  }
}
