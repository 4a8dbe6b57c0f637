import type { TAppErrorCode } from '@pulse/shared/errors';

type TrpcErrorKey =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
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
  PAYLOAD_TOO_LARGE: { httpStatus: 413, trpcCode: 'PAYLOAD_TOO_LARGE' },
  RATE_LIMITED: { httpStatus: 429, trpcCode: 'TOO_MANY_REQUESTS' },
  SERVICE_UNAVAILABLE: { httpStatus: 503, trpcCode: 'SERVICE_UNAVAILABLE' },
  INTERNAL: { httpStatus: 500, trpcCode: 'INTERNAL_SERVER_ERROR' },
};

/** The project's one error type. Services throw it; the transport layers translate it. */
export class AppError extends Error {
  constructor(
    readonly code: TAppErrorCode,
    message: string,
    readonly options: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return APP_ERROR_STATUS[this.code].httpStatus;
  }
}
