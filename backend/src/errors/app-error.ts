import type { TAppErrorCode } from '@pulse/shared/errors';

type TrpcErrorKey =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** The single code → HTTP status / tRPC code map, used by the tRPC error formatter and the REST error handler. */
export const APP_ERROR_STATUS: Record<TAppErrorCode, { httpStatus: number; trpcCode: TrpcErrorKey }> = {
  BAD_REQUEST: { httpStatus: 400, trpcCode: 'BAD_REQUEST' },
  UNAUTHORIZED: { httpStatus: 401, trpcCode: 'UNAUTHORIZED' },
  FORBIDDEN: { httpStatus: 403, trpcCode: 'FORBIDDEN' },
  NOT_FOUND: { httpStatus: 404, trpcCode: 'NOT_FOUND' },
  CONFLICT: { httpStatus: 409, trpcCode: 'CONFLICT' },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, trpcCode: 'PAYLOAD_TOO_LARGE' },
  RATE_LIMITED: { httpStatus: 429, trpcCode: 'TOO_MANY_REQUESTS' },
  // 429 as a rate limit is: "not now", with Retry-After until the quota resets; its own code tells the two apart.
  QUOTA_EXCEEDED: { httpStatus: 429, trpcCode: 'TOO_MANY_REQUESTS' },
  SERVICE_UNAVAILABLE: { httpStatus: 503, trpcCode: 'SERVICE_UNAVAILABLE' },
  INTERNAL: { httpStatus: 500, trpcCode: 'INTERNAL_SERVER_ERROR' },
};

/** Where a caller stands against a limit, for the RateLimit-* headers. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export interface AppErrorOptions {
  retryAfterSeconds?: number;
  rateLimit?: RateLimitState;
  cause?: unknown;
}

/** The project's one error type. Services throw it; the transport layers translate it. */
export class AppError extends Error {
  constructor(
    readonly code: TAppErrorCode,
    message: string,
    readonly options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return APP_ERROR_STATUS[this.code].httpStatus;
  }
}

/** The HTTP headers an error's answer carries: when to retry, and the state of the limit it ran into. */
export function headersForAppError(error: AppError): Record<string, string> {
  const { retryAfterSeconds, rateLimit } = error.options;
  return {
    ...(retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) }),
    ...(rateLimit ? rateLimitHeaders(rateLimit) : {}),
  };
}

/** The IETF draft's RateLimit-* headers, on allowed and refused answers alike. */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'RateLimit-Limit': String(state.limit),
    'RateLimit-Remaining': String(state.remaining),
    'RateLimit-Reset': String(state.resetSeconds),
  };
}

/** Of two limits a call was counted against (a batch of calls), the one closer to refusing. */
export function tighterLimit(current: RateLimitState | null, next: RateLimitState): RateLimitState {
  if (!current) return next;
  if (next.remaining !== current.remaining) return next.remaining < current.remaining ? next : current;
  return next.resetSeconds > current.resetSeconds ? next : current;
}

/** The answer to a request body past `maxBytes`, declared or streamed (or once decompressed). */
export function bodyTooLargeError(maxBytes: number, bytes?: number): AppError {
  const size = bytes === undefined ? '' : ` (${bytes.toLocaleString('en-US')} bytes)`;
  return new AppError('PAYLOAD_TOO_LARGE', `the request body is larger than ${maxBytes / 1024} KB${size}; send fewer events per request`);
}
