import type { RequestHandler } from 'express';
import cors from 'cors';
import helmet, { strictTransportSecurity } from 'helmet';
import { isIngestionPath } from './api-route.ts';

/** Response headers clients may read across origins: when to retry, and where they stand against their limit. */
const EXPOSED_HEADERS = ['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

/** Helmet's headers on every answer, with a Content-Security-Policy the dashboard works under. */
export function securityHeaders(): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      directives: {
        // Mantine writes its theme's CSS variables into a <style> element, and the charts set style attributes.
        'style-src': ["'self'", "'unsafe-inline'"],
        // Pulse is often served over plain http (locally, on a LAN): upgrading its requests would break the page.
        'upgrade-insecure-requests': null,
      },
    },
    strictTransportSecurity: false,
  });
  // HSTS only on answers that came over TLS (directly, or through a trusted proxy's X-Forwarded-Proto): an
  // instance reached over http must not tell browsers its host has https.
  const hsts = strictTransportSecurity({ maxAge: 365 * 86_400, includeSubDomains: false });
  return (req, res, next) => {
    headers(req, res, () => (req.secure ? hsts(req, res, next) : next()));
  };
}

/**
 * The headers browser SDKs send with events: Segment's (Authorization with the write key, X-Retry-Count),
 * RudderStack's (its anonymous id, sentAt and retry details), and a write key header for hand-written senders.
 */
const SDK_REQUEST_HEADERS = [
  'Content-Type',
  'Content-Encoding',
  'Authorization',
  'X-Write-Key',
  'X-Api-Key',
  'X-Retry-Count',
  'AnonymousId',
  'SentAt',
  'Rsa-Retry-Attempt',
  'Rsa-Since-Last-Attempt',
  'Rsa-Since-First-Attempt',
  'Rsa-Retry-Reason',
];

/**
 * CORS. The ingestion API (/v1, RudderStack's /beacon/v1 and its /sourceConfig) answers every origin, without
 * credentials: browser SDKs post events from customers' own sites with an ingest key, which can only add events
 * and is public by design (it ships in the page). Everything else answers only `allowedOrigins`
 * (CORS_ORIGINS), with credentials, for a dashboard served elsewhere and its session cookie; any other origin
 * gets no CORS headers at all.
 */
export function corsPolicy(allowedOrigins: readonly string[]): RequestHandler {
  const anyOrigin = cors({
    origin: '*',
    methods: ['GET', 'POST'],
    allowedHeaders: SDK_REQUEST_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 86_400,
  });
  const listed = new Set(allowedOrigins);
  const listedOrigin = cors({ origin: true, credentials: true, exposedHeaders: EXPOSED_HEADERS, maxAge: 600 });
  return (req, res, next) => {
    if (isIngestionPath(req.path) || req.path === '/sourceConfig' || req.path === '/sourceConfig/') return anyOrigin(req, res, next);
    const origin = req.headers.origin;
    if (origin !== undefined && listed.has(origin)) return listedOrigin(req, res, next);
    if (listed.size > 0) res.vary('Origin');
    // Another origin's preflight is answered here, without CORS headers (so its browser refuses), not by the API.
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.status(204).set('content-length', '0').end();
      return;
    }
    next();
  };
}
