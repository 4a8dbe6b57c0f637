import type { TPermission } from '@pulse/shared/roles';
import { AppError } from '../errors/app-error.ts';
import { DependencyUnavailableError } from '../infra/breakers/breaker-registry.ts';
import type { ApiKeyService } from './api-key-service.ts';
import type { DashboardSessionService } from './dashboard-session-service.ts';
import { assertPermission, type Principal } from './principal.ts';
import type { RateLimitService } from './rate-limit-service.ts';

/** How often an open stream checks that its key still works. */
const REVOCATION_CHECK_MS = 5_000;
/** What a dashboard session caller is told while its session cannot be looked up. */
const RETRY_SESSION_SECONDS = 5;

/** What a request says about its caller. */
export interface Caller {
  apiKey: string | null;
  /** The dashboard's session cookie; used only when no key was sent. */
  sessionToken?: string | null;
  /** The connection's address, or what a trusted proxy forwarded; never a header the caller set itself. */
  clientAddress: string;
}

/**
 * Who may call: the principal comes from the API key or the dashboard session (a person's, or one holding keys)
 * alone, and callers without either are limited.
 */
export class AccessService {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly rateLimits: RateLimitService,
    private readonly sessions: DashboardSessionService,
  ) {}

  /**
   * The caller's principal, checked against the permission the action needs (none: any caller of a tenant). A
   * request without a valid key or session counts against its address, so guessing keys is slow; past that
   * limit the answer is 429, not 401.
   */
  async authenticate(caller: Caller, permission: TPermission | null): Promise<Principal> {
    let principal: Principal;
    try {
      principal = await this.principalOf(caller);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'UNAUTHORIZED')) throw error;
      const rateLimit = await this.rateLimits.consumeUnauthenticated(caller.clientAddress);
      throw new AppError(error.code, error.message, { rateLimit });
    }
    if (permission) assertPermission(principal, permission);
    return principal;
  }

  /**
   * A signal that aborts once the caller's key (or session) stops working — revoked, expired, signed out —
   * checked every `intervalMs` while `until` is not aborted. Long-lived streams end on it, so a revoked key
   * does not keep one open. A failed check (the database away) is not a revocation.
   */
  revocationSignal(caller: Caller, until: AbortSignal, intervalMs = REVOCATION_CHECK_MS): AbortSignal {
    const revoked = new AbortController();
    const timer = setInterval(() => {
      this.principalOf(caller).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'UNAUTHORIZED') revoked.abort(error);
      });
    }, intervalMs);
    timer.unref();
    const stop = () => clearInterval(timer);
    until.addEventListener('abort', stop, { once: true });
    revoked.signal.addEventListener('abort', stop, { once: true });
    return revoked.signal;
  }

  private principalOf(caller: Caller): Promise<Principal> {
    const { apiKey, sessionToken } = caller;
    return !apiKey && sessionToken ? this.sessionPrincipal(sessionToken) : this.apiKeys.authenticate(apiKey);
  }

  private async sessionPrincipal(sessionToken: string): Promise<Principal> {
    try {
      return await this.sessions.principalOf(sessionToken);
    } catch (error) {
      if (!(error instanceof DependencyUnavailableError)) throw error;
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `your dashboard session cannot be checked while the database is unavailable; retry in ${RETRY_SESSION_SECONDS} s`,
        { retryAfterSeconds: RETRY_SESSION_SECONDS, cause: error },
      );
    }
  }
}
