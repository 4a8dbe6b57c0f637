import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { INGEST_LIMITS, ZIngestBatchRequest, type TIngestBatchRequest } from '@pulse/shared/ingest';
import { AppError, rateLimitHeaders } from '../errors/app-error.ts';
import { describeIssues } from '../errors/describe-issues.ts';
import type { Services } from '../runtime.ts';
import type { Principal } from '../services/api-key-service.ts';
import { eventsInRequest } from '../services/rate-limit-plans.ts';
import { apiKeyFromHeaders } from './api-key-header.ts';
import { readJsonBody } from './body-limit.ts';

/** One event: any JSON object; the event's own checks follow. */
const ZSingleEventBody = z.object({}).loose();

/**
 * Segment's HTTP tracking API (`/v1/batch`, `/v1/track`, `/v1/page`, `/v1/identify`), so existing Segment and
 * RudderStack SDKs work when pointed at this server. Same service as the tRPC `events.ingest`.
 */
export function segmentRoutes(services: Services): Router {
  const router = express.Router();
  // The key is checked before the body is read: an unknown caller never costs us a 500 KB parse.
  const authenticate: RequestHandler = async (req, res, next) => {
    const caller = { apiKey: apiKeyFromHeaders(req.headers), clientAddress: req.ip ?? 'unknown' };
    res.locals.principal = await services.access.authenticate(caller, ['ingest', 'admin'], 'sending events');
    next();
  };
  // …and the events are counted against the key's limit before they are validated.
  const limit: RequestHandler = async (req, res, next) => {
    res.set(rateLimitHeaders(await services.rateLimits.consume(res.locals.principal as Principal, 'ingest', eventsInRequest(req.body))));
    next();
  };
  // Whatever the Content-Type: RudderStack's SDK labels its gzipped JSON application/x-www-form-urlencoded.
  const parseJson = readJsonBody(INGEST_LIMITS.maxRequestBytes);
  const ingest = (res: express.Response, request: TIngestBatchRequest) => services.eventIngest.ingest((res.locals.principal as Principal).tenant, request);

  router.post('/batch', authenticate, parseJson, limit, async (req, res) => {
    res.json(await ingest(res, parseBody(ZIngestBatchRequest, req.body)));
  });
  for (const type of ['track', 'page', 'identify'] as const) {
    router.post(`/${type}`, authenticate, parseJson, limit, async (req, res) => {
      parseBody(ZSingleEventBody, req.body);
      // The event as sent: a parsed copy loses a "__proto__" key, which the event's checks must see to refuse.
      res.json(await ingest(res, { batch: [{ ...(req.body as object), type }] }));
    });
  }
  router.use((req) => {
    throw new AppError('NOT_FOUND', `no endpoint ${req.method} /v1${req.path}; Segment's API here is POST /v1/batch, /v1/track, /v1/page and /v1/identify`);
  });
  return router;
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined) throw new AppError('BAD_REQUEST', 'the request has no body; send the events as JSON');
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('BAD_REQUEST', `invalid request: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
