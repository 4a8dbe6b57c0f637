import type { ApiKeyScope } from '../generated/prisma/client.ts';
import { AppError } from '../errors/app-error.ts';
import { assertScope, type ApiKeyService, type Principal } from './api-key-service.ts';
import type { DashboardSessionService } from './dashboard-session-service.ts';
import type { RateLimitService } from './rate-limit-service.ts';

/** What a request says about its caller. */
export interface Caller {
  apiKey: string | null;
  /** The dashboard's session cookie; used only when no key was sent. */
  sessionToken?: string | null;
  /** The connection's address, or what a trusted proxy forwarded; never a header the caller set itself. */
  clientAddress: string;
}

/**
 * Who may call: the principal comes from the API key (or the dashboard session holding one) alone, and callers
 * without a valid key are limited.
 */
export class AccessService {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly rateLimits: RateLimitService,
    private readonly sessions: DashboardSessionService,
  ) {}

  /**
   * The caller's principal, checked against the scopes the action needs. A request without a valid key
   * counts against its address, so guessing keys is slow; past that limit the answer is 429, not 401.
   */
  async authenticate(caller: Caller, scopes: readonly ApiKeyScope[], action: string): Promise<Principal> {
    let principal: Principal;
    try {
      principal = !caller.apiKey && caller.sessionToken
        ? await this.sessions.principalOf(caller.sessionToken)
        : await this.apiKeys.authenticate(caller.apiKey);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'UNAUTHORIZED')) throw error;
      const rateLimit = await this.rateLimits.consumeUnauthenticated(caller.clientAddress);
      throw new AppError(error.code, error.message, { rateLimit });
    }
    assertScope(principal, scopes, action);
    return principal;
  }
}
