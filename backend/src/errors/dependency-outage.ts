import { DependencyUnavailableError } from '../infra/breakers/breaker-registry.ts';
import { AppError } from './app-error.ts';

/** How long callers are told to wait when an outage reached the transport unanswered. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The error as the caller is to see it: an AppError as it is, and a dependency outage that no service turned
 * into an answer as a 503 with Retry-After (a safety net: an outage is never the caller's 500). Null for
 * anything else, which is our bug.
 */
export function asAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (!(error instanceof DependencyUnavailableError)) return null;
  const what = error.dependency === 'redis' ? 'Redis' : 'the database';
  return new AppError('SERVICE_UNAVAILABLE', `${what} is unavailable; nothing was done: retry in ${RETRY_AFTER_SECONDS} s`, {
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    cause: error,
  });
}
