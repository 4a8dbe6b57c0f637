import type { Request, RequestHandler } from 'express';
import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, transformTRPCResponse, type AnyTRPCRouter, type TRPCError } from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import type { TrpcHttpHooks } from './trpc-routes.ts';
import { procedureDefOf, routerConfigOf } from './trpc-router-internals.ts';

interface QueryCall {
  paths: string[];
  inputs: unknown[];
  isBatch: boolean;
}

/**
 * tRPC queries over GET, answered without the Fetch API round trip of tRPC's adapter. On Node 20 that
 * adapter builds a Request, abort signals and a response stream for every call, which costs more CPU than a
 * cached dashboard read itself (docs/BENCHMARKS.md, bench:cache). This answers exactly what httpLink and
 * httpBatchLink send for queries (one path or a batch, JSON input in `?input=`) in the same wire format,
 * status codes, error shapes and hooks; anything else goes on to the adapter. The differential test
 * (trpc-query-fast-path.int.test.ts) holds the two to the same answers.
 */
export function trpcQueryFastPath(router: AnyTRPCRouter, hooks: TrpcHttpHooks): RequestHandler {
  const config = routerConfigOf(router);
  return (req, res, next) => {
    const call = queryCallOf(router, req);
    if (!call) return next();
    const ctx = hooks.createContext({ req });
    // As tRPC's adapter does: a procedure can tell its caller left, and stop.
    const controller = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const errors: Array<TRPCError | undefined> = [];
    const outcomes = call.paths.map(async (path, index) => {
      const input = call.inputs[index];
      try {
        const data: unknown = await callTRPCProcedure({
          router,
          path,
          getRawInput: async () => input,
          ctx,
          type: 'query',
          signal: controller.signal,
          batchIndex: index,
        });
        return { result: { data } };
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        errors[index] = error;
        hooks.onError({ error, path, req });
        return { error: getErrorShape({ config, error, type: 'query', path, input, ctx }) };
      }
    });
    Promise.all(outcomes)
      .then((responses) => {
        res.status(getHTTPStatusCode(responses));
        // Appended: the CORS policy's Vary: Origin stays.
        res.vary('trpc-accept').vary('accept');
        res.setHeader('content-type', 'application/json');
        for (const [name, value] of Object.entries(
          hooks.headersFor(
            ctx,
            errors.filter((error) => error !== undefined),
          ),
        ))
          res.setHeader(name, value);
        res.end(JSON.stringify(transformTRPCResponse(config, call.isBatch ? responses : responses[0]!)));
      })
      .catch(next);
  };
}

/** The call, when it is a well-formed GET of query procedures only; null sends it on to the adapter. */
function queryCallOf(router: AnyTRPCRouter, req: Request): QueryCall | null {
  if (req.method !== 'GET' || wantsStream(req)) return null;
  const { batch, input } = req.query;
  const isBatch = batch === '1';
  let joinedPaths: string;
  try {
    joinedPaths = decodeURIComponent(req.path.slice(1));
  } catch {
    return null;
  }
  const paths = isBatch ? joinedPaths.split(',') : [joinedPaths];
  if (!paths.every((path) => procedureDefOf(router, path)?.type === 'query')) return null;
  if (input !== undefined && typeof input !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = input === undefined ? undefined : JSON.parse(input);
  } catch {
    return null;
  }
  const deserialize = (value: unknown) => (value === undefined ? undefined : routerConfigOf(router).transformer.input.deserialize(value));
  if (!isBatch) return { paths, inputs: [deserialize(parsed)], isBatch };
  if (parsed === undefined) return { paths, inputs: [], isBatch };
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const byIndex = parsed as Record<string, unknown>;
  return { paths, inputs: paths.map((_path, index) => deserialize(byIndex[index])), isBatch };
}

/** httpBatchStreamLink asks for JSON lines; only the adapter streams. */
function wantsStream(req: Request): boolean {
  const accept = req.get('trpc-accept') ?? req.get('accept') ?? '';
  return accept.split(',').some((type) => type.trim() === 'application/jsonl');
}
