import type { Request } from 'express';
import type { RateLimitState } from '../errors/app-error.ts';
import type { Services } from '../runtime.ts';
import { apiKeyFromHeaders } from '../http/api-key-header.ts';
import { clearedSessionCookie, sessionCookie, sessionTokenFromHeaders } from '../http/session-cookie.ts';
import type { Caller } from '../services/access-service.ts';

export interface Context extends Caller {
  services: Services;
  /** The tightest limit the call was counted against, for the answer's RateLimit-* headers. */
  rateLimit: RateLimitState | null;
  /** The Set-Cookie header the call wants on its answer (dashboard sign-in and sign-out), set by the two below. */
  setCookie: string | null;
  /** Puts the dashboard's session cookie on the answer (Secure when the request came over HTTPS). */
  issueSessionCookie(token: string, maxAgeSeconds: number): void;
  /** Removes the dashboard's session cookie from the browser. */
  clearSessionCookie(): void;
}

/** An EventSource cannot send headers: subscriptions may carry the key in tRPC's connection params. */
type ContextInfo = { connectionParams?: Record<string, string | undefined> | null };

export function createContextFactory(services: Services) {
  return ({ req, info }: { req: Request; info?: ContextInfo }): Context => {
    const context: Context = {
      services,
      apiKey: apiKeyFromHeaders(req.headers) ?? info?.connectionParams?.apiKey ?? null,
      sessionToken: sessionTokenFromHeaders(req.headers),
      // With TRUST_PROXY unset, Express ignores X-Forwarded-For and this is the connection's own address.
      clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      rateLimit: null,
      setCookie: null,
      // `req.secure`: HTTPS directly or, with TRUST_PROXY, through the proxy.
      issueSessionCookie: (token, maxAgeSeconds) => (context.setCookie = sessionCookie(token, maxAgeSeconds, req.secure)),
      clearSessionCookie: () => (context.setCookie = clearedSessionCookie(req.secure)),
    };
    return context;
  };
}
