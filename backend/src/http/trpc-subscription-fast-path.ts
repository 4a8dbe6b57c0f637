import { once } from 'node:events';
import type { Request, RequestHandler } from 'express';
import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, isTrackedEnvelope, TRPCError, type AnyTRPCRouter } from '@trpc/server';
import type { TrpcHttpHooks } from './trpc-routes.ts';
import { procedureDefOf, routerConfigOf } from './trpc-router-internals.ts';

interface SubscriptionCall {
  path: string;
  input: unknown;
  connectionParams: Record<string, string> | null;
}

/** tRPC's own SSE response headers. */
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no', connection: 'keep-alive' };

/**
 * tRPC subscriptions over Server-sent Events, written straight to the socket. tRPC's adapter sends each event
 * through a chain of Web Streams per subscriber, which at a thousand subscribers costs more CPU than the
 * events themselves (docs/BENCHMARKS.md, bench:sse). This writes the same events in the same format (the
 * "connected" notice, `data:`/`id:` per tracked value, pings, `return`, `serialized-error`) with one write
 * each; anything it does not recognise goes on to the adapter. The differential test
 * (trpc-subscription-fast-path.int.test.ts) holds the two to the same output.
 */
export function trpcSubscriptionFastPath(router: AnyTRPCRouter, hooks: TrpcHttpHooks): RequestHandler {
  const config = routerConfigOf(router);
  const sse = (config as { sse?: { ping?: { enabled?: boolean; intervalMs?: number }; client?: object } }).sse ?? {};
  const pingIntervalMs = sse.ping?.enabled ? (sse.ping.intervalMs ?? 1_000) : 0;
  const connected = event({ event: 'connected', data: JSON.stringify(sse.client ?? {}) });
  const serialize = (value: unknown) => JSON.stringify(config.transformer.output.serialize(value));

  return (req, res, next) => {
    const call = subscriptionCallOf(router, req);
    if (!call) return next();
    const ctx = hooks.createContext({ req, info: { connectionParams: call.connectionParams } });
    const controller = new AbortController();
    res.once('close', () => controller.abort());

    let iterator: AsyncIterator<unknown> | undefined;
    // Proxies close a stream that stays quiet: a ping goes out once nothing else did for a whole interval,
    // counted from the last write (each write restarts the timer), so no gap is longer than the interval.
    let pinger: NodeJS.Timeout | null = null;
    /** Writes one event; false when the socket's buffer is full and the reader should be waited for. */
    const write = (text: string): boolean => {
      pinger?.refresh();
      return res.destroyed ? true : res.write(text);
    };

    const stream = async () => {
      // The procedure's middlewares (key, scope, rate limit) run here; their headers go out with the stream.
      const started = callTRPCProcedure({
        router,
        path: call.path,
        getRawInput: async () => call.input,
        ctx,
        type: 'subscription',
        signal: controller.signal,
        batchIndex: 0,
      });
      const result = await started.finally(() => {
        // A refusal, too, arrives as an error event on an open stream (status 200), as tRPC's adapter sends it.
        res.writeHead(200, { ...SSE_HEADERS, ...hooks.headersFor(ctx, []) });
        write(connected);
        if (pingIntervalMs > 0) {
          const ping = () => {
            write(event({ event: 'ping', data: '' }));
            pinger?.refresh();
          };
          pinger = setTimeout(ping, pingIntervalMs);
        }
      });
      if (!isAsyncIterable(result)) {
        throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `Subscription ${call.path} did not return an observable or a AsyncGenerator` });
      }
      iterator = result[Symbol.asyncIterator]();
      for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
        const value = step.value;
        const written = write(isTrackedEnvelope(value) ? event({ data: serialize(value[1]), id: String(value[0]) }) : event({ data: serialize(value) }));
        // A slow reader is waited for before the next value is taken: what it cannot read yet stays in the
        // source (which bounds it), not in this process's socket buffer. Rejects when the stream closes.
        if (!written) await once(res, 'drain', { signal: controller.signal });
      }
      write(event({ event: 'return', data: '' }));
    };

    stream()
      .catch((cause: unknown) => {
        if (controller.signal.aborted) return;
        const error = getTRPCErrorFromUnknown(cause);
        hooks.onError({ error, path: call.path, req });
        const shape = getErrorShape({ config, error, type: 'subscription', path: call.path, input: call.input, ctx });
        write(event({ event: 'serialized-error', data: serialize(shape) }));
      })
      .finally(() => {
        if (pinger) clearTimeout(pinger);
        void iterator?.return?.();
        res.end();
      });
  };
}

/** One event in tRPC's SSE wire format (its extra blank line included). */
function event(chunk: { event?: string; data: string; id?: string }): string {
  return `${chunk.event === undefined ? '' : `event: ${chunk.event}\n`}data: ${chunk.data}\n${chunk.id === undefined ? '' : `id: ${chunk.id}\n`}\n\n`;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** The call, when it is a GET of one subscription procedure with well-formed input; null sends it on. */
function subscriptionCallOf(router: AnyTRPCRouter, req: Request): SubscriptionCall | null {
  if (req.method !== 'GET') return null;
  let path: string;
  try {
    path = decodeURIComponent(req.path.slice(1));
  } catch {
    return null;
  }
  if (procedureDefOf(router, path)?.type !== 'subscription' || req.query.batch !== undefined) return null;
  const { input: rawInput, connectionParams: rawParams } = req.query;
  if ((rawInput !== undefined && typeof rawInput !== 'string') || (rawParams !== undefined && typeof rawParams !== 'string')) return null;
  let input: unknown;
  let connectionParams: unknown;
  try {
    input = rawInput === undefined ? undefined : routerConfigOf(router).transformer.input.deserialize(JSON.parse(rawInput));
    connectionParams = rawParams === undefined ? null : JSON.parse(rawParams);
  } catch {
    return null;
  }
  const stringParams =
    connectionParams === null ||
    (typeof connectionParams === 'object' && !Array.isArray(connectionParams) && Object.values(connectionParams).every((value) => typeof value === 'string'));
  if (!stringParams) return null;
  // A reconnecting EventSource names the last id it received; tRPC hands it to the procedure as input.
  const lastEventId = req.get('last-event-id') ?? queryString(req, 'lastEventId') ?? queryString(req, 'Last-Event-Id');
  if (lastEventId) {
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) input = { ...input, lastEventId };
    else input ??= { lastEventId };
  }
  return { path, input, connectionParams: connectionParams as Record<string, string> | null };
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
}
