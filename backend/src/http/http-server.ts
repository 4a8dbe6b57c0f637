import { createServer, type Server } from 'node:http';
import type { Express } from 'express';

export interface ServerTimeouts {
  /** A connection whose request headers take longer to arrive is closed (HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** …and one whose whole request (headers and body) takes longer (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
}

/** How often Node looks for connections past those timeouts; its default, 30 s, would let a slow client stay that much longer. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** The HTTP server for the app, with slow clients (slow-loris) timed out. Answers have their own deadline (request-deadline.ts). */
export function createHttpServer(app: Express, timeouts: ServerTimeouts): Server {
  return createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      // Node refuses a headers timeout longer than the request's.
      requestTimeout: Math.max(timeouts.requestTimeoutMs, timeouts.headersTimeoutMs),
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    app,
  );
}
