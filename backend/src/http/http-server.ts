import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

/** Methods the API and the dashboard answer, as the Allow header of a 405 says. */
const ALLOW = 'GET, HEAD, POST, OPTIONS';
/** Passed on to the app, which answers what it does not route (404, tRPC's own 405). TRACE, CONNECT, WebDAV and
 *  the like never reach it: tRPC's adapter cannot even build a request for some of them. */
const ROUTED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The HTTP server for the app, with slow clients (slow-loris) timed out. Answers have their own deadline (request-deadline.ts). */
export function createHttpServer(app: Express, timeouts: ServerTimeouts): Server {
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      // Node refuses a headers timeout longer than the request's.
      requestTimeout: Math.max(timeouts.requestTimeoutMs, timeouts.headersTimeoutMs),
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    (req, res) => {
      if (!refuseUnservable(req, res)) app(req, res);
    },
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, timeouts));
  // Node closes a CONNECT's connection without a word unless someone listens.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {});
    socket.end(rawAnswer(405, methodNotAllowed('CONNECT'), { Allow: ALLOW }));
  });
  return server;
}

/** Answers a request no route should see (an unknown method, no HTTP version); true if it did. */
function refuseUnservable(req: IncomingMessage, res: ServerResponse): boolean {
  // A request line without a version is HTTP/0.9, which Node's parser still takes (and would be answered 200).
  if (req.httpVersionMajor !== 1) {
    answer(
      res,
      400,
      `the request line has no HTTP/1.x version (HTTP/${req.httpVersion}); send "${req.method} ${req.url?.slice(0, 100)} HTTP/1.1" with a Host header`,
      { Connection: 'close' },
    );
    return true;
  }
  if (ROUTED_METHODS.has(req.method ?? '')) return false;
  answer(res, 405, methodNotAllowed(req.method ?? ''), { Allow: ALLOW });
  return true;
}

function methodNotAllowed(method: string): string {
  return `the method ${method.slice(0, 20)} is not served here; the allowed methods are ${ALLOW}`;
}

const errorBody = (message: string) => JSON.stringify({ error: { code: 'BAD_REQUEST', message } } satisfies TRestErrorResponse);

function answer(res: ServerResponse, status: number, message: string, headers: Record<string, string>): void {
  const body = errorBody(message);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
}

/** A whole answer written straight to a socket Node no longer manages (parse errors, CONNECT); the connection closes. */
function rawAnswer(status: number, message: string, headers: Record<string, string> = {}): string {
  const body = errorBody(message);
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${extra}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
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
  socket.end(rawAnswer(status, message, status === 405 ? { Allow: ALLOW } : {}));
}

function clientErrorAnswer(error: NodeJS.ErrnoException, timeouts: ServerTimeouts): [number, string] {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [
        408,
        `the request did not arrive in time (headers within ${timeouts.headersTimeoutMs / 1_000} s, all of it within ${Math.max(timeouts.requestTimeoutMs, timeouts.headersTimeoutMs) / 1_000} s)`,
      ];
    case 'HPE_INVALID_METHOD':
      return [405, `the method is not one HTTP knows; the allowed methods are ${ALLOW}`];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'the request line and headers are larger than 16 KB; send large inputs in a POST body rather than the URL'];
    default:
      return [400, `the request is not valid HTTP/1.1 (${error.code ?? error.message})`];
  }
}
