import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { EVENT_TYPES, INGEST_LIMITS, ZIngestBatchRequest, type TIngestBatchRequest } from '@pulse/shared/ingest';
import { AppError, rateLimitHeaders } from '../errors/app-error.ts';
import { describeIssues } from '../errors/describe-issues.ts';
import type { Services } from '../runtime.ts';
import type { Principal } from '../services/principal.ts';
import { eventsInRequest } from '../services/rate-limit-plans.ts';
import { readJsonBody } from './body-limit.ts';
import { senderFactsOf, writeKeyOf, writeKeyInBody } from './sender.ts';

/** One event: any JSON object; the event's own checks follow. */
const ZSingleEventBody = z.object({}).loose();

/** Each call type's path, whole and as Segment's browser SDK abbreviates it (its first letter). */
const SINGLE_EVENT_PATHS = EVENT_TYPES.flatMap((type) => [`/${type}`, `/${type[0]}`].map((path) => ({ path, type })));
const BATCH_PATHS = ['/batch', '/b'];

/** The ingestion paths under /v1, for the request metrics' route label. */
export const INGEST_PATHS = [...BATCH_PATHS, ...SINGLE_EVENT_PATHS.map(({ path }) => path)].map((path) => `/v1${path}`);

/** Reports an SDK makes of itself (Segment's `/v1/m`) are small: anything larger is not one. */
const MAX_SDK_REPORT_BYTES = 64 * 1024;

export interface SegmentRouteOptions {
  /** Told of each report Segment's SDK posts about itself to /v1/m (counted on /metrics, never stored). */
  onSdkReport(): void;
}

/**
 * Segment's tracking API as its SDKs (browser and server) and RudderStack's call it: `/v1/batch` (`/b`), one
 * path per call type (`/track` or `/t`, `/page`, `/screen`, `/identify`, `/group`, `/alias`), the SDK's own
 * reports at `/m`, and its settings at `/projects/{writeKey}/settings`. Mounted at /v1 and at /beacon/v1
 * (RudderStack's beacons). Same service as the tRPC `events.ingest`.
 */
export function segmentRoutes(services: Services, options: SegmentRouteOptions): Router {
  const router = express.Router();
  const authenticate = (apiKey: string | null, req: Request) => services.access.authenticate({ apiKey, clientAddress: req.ip ?? 'unknown' }, 'ingest');
  // The key is checked before the body is read: an unknown caller never costs us a 500 KB parse…
  const keyOutsideBody: RequestHandler = async (req, res, next) => {
    const apiKey = writeKeyOf(req);
    if (apiKey !== null) res.locals.principal = await authenticate(apiKey, req);
    next();
  };
  // …unless the key travels only in the body, as `writeKey` (Segment's batches, RudderStack's beacons).
  const keyInBody: RequestHandler = async (req, res, next) => {
    res.locals.principal ??= await authenticate(writeKeyInBody(req.body), req);
    next();
  };
  // …and the events are counted against the key's limit before they are validated.
  const limit: RequestHandler = async (req, res, next) => {
    res.set(rateLimitHeaders(await services.rateLimits.consume(res.locals.principal as Principal, 'ingest', eventsInRequest(req.body))));
    next();
  };
  // Whatever the Content-Type: Segment's browser SDK sends text/plain (no CORS preflight), RudderStack's SDK
  // labels its gzipped JSON application/x-www-form-urlencoded.
  const receive = [keyOutsideBody, readJsonBody(INGEST_LIMITS.maxRequestBytes), keyInBody, limit];
  const ingest = (req: Request, res: Response, request: TIngestBatchRequest) =>
    services.eventIngest.ingest((res.locals.principal as Principal).tenant, request, new Date(), senderFactsOf(req));

  for (const path of BATCH_PATHS) {
    router.post(path, ...receive, async (req, res) => {
      res.json(await ingest(req, res, parseBody(ZIngestBatchRequest, req.body)));
    });
  }
  for (const { path, type } of SINGLE_EVENT_PATHS) {
    router.post(path, ...receive, async (req, res) => {
      parseBody(ZSingleEventBody, req.body);
      // The event as sent: a parsed copy loses a "__proto__" key, which the event's checks must see to refuse.
      res.json(await ingest(req, res, { batch: [{ ...(req.body as object), type }] }));
    });
  }
  router.post('/m', readJsonBody(MAX_SDK_REPORT_BYTES), (_req, res) => {
    options.onSdkReport();
    res.json({ success: true });
  });
  router.get('/projects/:writeKey/settings', async (req, res) => {
    await authenticate(req.params.writeKey, req);
    // Private: the answer names the Host it was asked by, which a shared cache must not hand to anyone else.
    res.set('Cache-Control', 'private, max-age=300').json(segmentSettings(req, req.params.writeKey));
  });
  router.use((req) => {
    throw new AppError(
      'NOT_FOUND',
      `no endpoint ${req.method} ${req.baseUrl}${req.path}; Segment's API here is POST /v1/batch (or /b), /v1/track (/t), /page (/p), ` +
        '/screen (/s), /identify (/i), /group (/g), /alias (/a), and GET /v1/projects/{writeKey}/settings',
    );
  });
  return router;
}

/**
 * What Segment's browser SDK reads from its CDN (`cdnURL`) before it sends anything: where to send events (this
 * server, over the protocol this request came by), no device-mode destinations, no remote plugins, and no
 * metrics reports (sample rate 0), so the page asks nothing of Segment's servers.
 */
function segmentSettings(req: Request, writeKey: string) {
  return {
    integrations: { 'Segment.io': { apiKey: writeKey, apiHost: `${req.get('host')}/v1`, protocol: req.protocol } },
    plan: { track: { __default: { enabled: true, integrations: {} } }, identify: { __default: { enabled: true } }, group: { __default: { enabled: true } } },
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0 },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
  };
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined) throw new AppError('BAD_REQUEST', 'the request has no body; send the events as JSON');
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('BAD_REQUEST', `invalid request: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
