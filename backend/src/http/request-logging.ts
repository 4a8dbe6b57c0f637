import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../infra/logger.ts';
import { wasShed } from './admission.ts';

const INCOMING_REQUEST_ID = /^[\w.:-]{1,64}$/;
const QUIET_PATHS = /^\/(health\/|metrics$)/;

/**
 * One JSON line per request with a request id: the caller's `X-Request-Id` when it looks like one (so a proxy's
 * id follows the request), otherwise a new one; it is sent back in `X-Request-Id` and bound to `req.log`.
 * Only the path is logged: query strings can hold sign-in keys, and headers are never logged.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && INCOMING_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    autoLogging: { ignore: (req) => QUIET_PATHS.test(req.url ?? '') },
    // A 503 is a deliberate refusal (overload, a dependency out), not a failure of ours: a warning, like a 4xx.
    // Answered requests are logged at debug: a line for each cost a quarter of the cached-read throughput
    // (npm run bench, LOG_LEVEL=info against warn), and /metrics counts them anyway.
    // Requests refused by load shedding are summed up every few seconds instead (infra/load/shed-report.ts): under
    // a spike, a line for each (with the Error pino-http builds for a 5xx) spends the CPU the shedding saves.
    customLogLevel: (_req, res, error) =>
      wasShed(res) ? 'silent' : error || (res.statusCode >= 500 && res.statusCode !== 503) ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug',
    // pino-http makes up an Error (with a stack) for every 5xx answer; only a real one is worth logging.
    customErrorObject: (_req, res, error, fields) => (error.message === `failed with status code ${res.statusCode}` ? { ...fields, err: undefined } : fields),
    customErrorMessage: (_req, res) => (res.statusCode === 503 ? 'request refused' : 'request failed'),
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?', 1)[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    wrapSerializers: false,
    quietReqLogger: true,
  });
}
