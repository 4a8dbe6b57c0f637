import type { Request } from 'express';
import type { RateLimitState } from '../errors/app-error.ts';
import type { Services } from '../runtime.ts';
import { apiKeyFromHeaders } from '../http/api-key-header.ts';
import type { Caller } from '../services/access-service.ts';

export interface Context extends Caller {
  services: Services;
  /** The tightest limit the call was counted against, for the answer's RateLimit-* headers. */
  rateLimit: RateLimitState | null;
}

export function createContextFactory(services: Services) {
  return ({ req }: { req: Request }): Context => ({
    services,
    apiKey: apiKeyFromHeaders(req.headers),
    // With TRUST_PROXY unset, Express ignores X-Forwarded-For and this is the connection's own address.
    clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    rateLimit: null,
  });
}
