import type { PulseRouter } from '@pulse/client';
import type { TAppErrorCode } from '@pulse/shared/errors';
import { TRPCClientError } from '@trpc/client';

interface TErrorAdvice {
  title: string;
  hint: string;
}

const ADVICE: Record<TAppErrorCode, TErrorAdvice> = {
  BAD_REQUEST: { title: 'The request was rejected', hint: 'Check the values you chose and try again.' },
  UNAUTHORIZED: { title: 'Not signed in', hint: 'Sign in again: with your email and password, or a valid key.' },
  FORBIDDEN: {
    title: 'Not allowed',
    hint: 'Your role or key does not allow this (the message says who may): ask an owner or admin.',
  },
  NOT_FOUND: { title: 'Not found', hint: 'It may have been removed; reload the page.' },
  CONFLICT: { title: 'Something else is in progress', hint: 'Wait for it to finish (or cancel it), then try again.' },
  PAYLOAD_TOO_LARGE: { title: 'Too much data in one request', hint: 'Send fewer events per request.' },
  RATE_LIMITED: { title: 'Too many requests', hint: 'Wait a few seconds, then retry.' },
  QUOTA_EXCEEDED: { title: 'Monthly event quota reached', hint: 'Events are accepted again once the quota resets; a larger plan allows more.' },
  SERVICE_UNAVAILABLE: {
    title: 'A backing service is unavailable',
    hint: 'The database or cache is not answering. Retry once it is back; the backend log says which.',
  },
  INTERNAL: {
    title: 'The server failed',
    hint: 'The backend log has the details. Retry, and report it if it keeps happening.',
  },
};

export interface TErrorDescription extends TErrorAdvice {
  detail: string;
}

function apiErrorOf(error: unknown): TRPCClientError<PulseRouter> | null {
  return error instanceof TRPCClientError ? (error as TRPCClientError<PulseRouter>) : null;
}

export function appCodeOf(error: unknown): TAppErrorCode | undefined {
  const appCode = apiErrorOf(error)?.data?.appCode;
  return appCode !== undefined && Object.hasOwn(ADVICE, appCode) ? (appCode as TAppErrorCode) : undefined;
}

export function isUnauthorized(error: unknown): boolean {
  return appCodeOf(error) === 'UNAUTHORIZED';
}

/** 4xx answers will not change on a retry; network failures and 5xx might. */
export function isClientFault(error: unknown): boolean {
  const httpStatus = apiErrorOf(error)?.data?.httpStatus;
  return httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500;
}

/**
 * Seconds the server asked us to wait before sending the same request again (429 and 503 only; not a spent
 * monthly quota, whose wait lasts until the quota resets).
 */
export function retryAfterSecondsOf(error: unknown): number | undefined {
  const data = apiErrorOf(error)?.data;
  if (!data || (data.httpStatus !== 429 && data.httpStatus !== 503) || data.appCode === 'QUOTA_EXCEEDED') return undefined;
  return data.retryAfterSeconds ?? 1;
}

export function describeError(error: unknown): TErrorDescription {
  const detail = error instanceof Error ? error.message : String(error);
  const data = apiErrorOf(error)?.data;
  if (!data) {
    return {
      title: 'Could not reach the Pulse API',
      detail,
      hint: 'Check that the backend is running (npm run dev starts it on port 3001), then retry.',
    };
  }
  const appCode = appCodeOf(error);
  const advice = appCode === undefined ? ADVICE.INTERNAL : ADVICE[appCode];
  const retryAfterSeconds = data.retryAfterSeconds;
  return { ...advice, detail, hint: retryAfterSeconds === undefined ? advice.hint : (waitHint(appCode, retryAfterSeconds) ?? advice.hint) };
}

/** When a refusal says how long to wait, the hint says it too. */
function waitHint(appCode: TAppErrorCode | undefined, retryAfterSeconds: number): string | undefined {
  if (appCode === 'RATE_LIMITED') return `Wait ${retryAfterSeconds} s, then retry.`;
  if (appCode !== 'QUOTA_EXCEEDED') return undefined;
  const resetsAt = new Date(Date.now() + retryAfterSeconds * 1_000);
  return `Events are accepted again from ${resetsAt.toLocaleString()}, when the quota resets; a larger plan allows more.`;
}
