import type { Request } from 'express';
import type { RateLimitState } from '../errors/app-error.ts';
import type { Services } from '../runtime.ts';
import { apiKeyFromHeaders } from '../http/api-key-header.ts';
import { sessionTokenFromHeaders } from '../http/session-cookie.ts';
import type { Caller } from '../services/access-service.ts';

export interface Context extends Caller {
  services: Services;
  /** The tightest limit the call was counted against, for the answer's RateLimit-* headers. */
  rateLimit: RateLimitState | null;
  /** Whether the request came over HTTPS, so the session cookie can be marked Secure. */
  secureTransport: boolean;
  /** A Set-Cookie header the call wants on its answer (dashboard sign-in and sign-out). */
  setCookie: string | null;
}

/** An EventSource cannot send headers: subscriptions may carry the key in tRPC's connection params. */
type ContextInfo = { connectionParams?: Record<string, string | undefined> | null };

export function createContextFactory(services: Services) {
  return ({ req, info }: { req: Request; info?: ContextInfo }): Context => ({
    services,
    apiKey: apiKeyFromHeaders(req.headers) ?? info?.connectionParams?.apiKey ?? null,
    sessionToken: sessionTokenFromHeaders(req.headers),
    // With TRUST_PROXY unset, Express ignores X-Forwarded-For and this is the connection's own address.
    clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    rateLimit: null,
    secureTransport: req.secure,
    setCookie: null,
  });
}
