import type { RequestHandler } from 'express';
import cors from 'cors';
import helmet, { strictTransportSecurity } from 'helmet';

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
 * CORS. Segment's ingestion API (/v1) answers every origin, without credentials: browser SDKs post events from
 * customers' own sites with an ingest key, which can only add events and is public by design (it ships in the
 * page). Everything else answers only `allowedOrigins` (CORS_ORIGINS), with credentials, for a dashboard
 * served elsewhere and its session cookie; any other origin gets no CORS headers at all.
 */
export function corsPolicy(allowedOrigins: readonly string[]): RequestHandler {
  const anyOrigin = cors({ origin: '*', methods: ['POST'], exposedHeaders: EXPOSED_HEADERS, maxAge: 86_400 });
  const listed = new Set(allowedOrigins);
  const listedOrigin = cors({ origin: true, credentials: true, exposedHeaders: EXPOSED_HEADERS, maxAge: 600 });
  return (req, res, next) => {
    if (req.path.startsWith('/v1/')) return anyOrigin(req, res, next);
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
