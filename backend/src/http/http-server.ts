import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import type { TRestErrorResponse } from '@pulse/shared/errors';

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
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      // Node refuses a headers timeout longer than the request's.
      requestTimeout: Math.max(timeouts.requestTimeoutMs, timeouts.headersTimeoutMs),
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    app,
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, timeouts));
  return server;
}

/**
 * Requests Node's parser refuses before the app sees them (too slow, headers too large, not HTTP) get an answer
 * that says what was wrong, in the API's error shape; Node's own has no body.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, timeouts: ServerTimeouts): void {
  const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, message] = clientErrorAnswer(error, timeouts);
  const body = JSON.stringify({ error: { code: 'BAD_REQUEST', message } } satisfies TRestErrorResponse);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function clientErrorAnswer(error: NodeJS.ErrnoException, timeouts: ServerTimeouts): [number, string] {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, `the request did not arrive in time (headers within ${timeouts.headersTimeoutMs / 1_000} s, all of it within ${Math.max(timeouts.requestTimeoutMs, timeouts.headersTimeoutMs) / 1_000} s)`];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'the request line and headers are larger than 16 KB; send large inputs in a POST body rather than the URL'];
    default:
      return [400, `the request is not valid HTTP/1.1 (${error.code ?? error.message})`];
  }
}
