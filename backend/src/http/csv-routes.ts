import { once } from 'node:events';
import type { Request, RequestHandler, Response } from 'express';
import { getErrorShape, getTRPCErrorFromUnknown, transformTRPCResponse } from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import { AppError } from '../errors/app-error.ts';
import type { Services } from '../runtime.ts';
import { appRouter } from '../trpc/app-router.ts';
import { csvLine, UTF8_BOM } from './csv.ts';
import { CSV_TABLES, createAppCaller, type CsvRows } from './csv-tables.ts';
import { routerConfigOf } from './trpc-router-internals.ts';
import { trpcHttpHooks } from './trpc-routes.ts';

/** Where the CSV downloads are mounted; admission counts them as exports (api-route.ts). */
export const CSV_ROUTE = '/api/csv/:procedure';

/** Lines gathered before each write: fewer, larger writes, still far from holding the whole file twice. */
const WRITE_CHUNK_CHARS = 64 * 1024;

/**
 * GET /api/csv/<procedure>?input=<JSON, as tRPC's GET takes it>: a dashboard table as a CSV download. The
 * procedure is called through the tRPC router with the context tRPC would give the request (bearer key or the
 * dashboard's session cookie), so authentication, the tenant, rate limits, validation and the bounds of each
 * table are the procedure's own; errors are answered with the status, headers and JSON body tRPC would give.
 */
export function csvDownloads(services: Services): RequestHandler {
  const hooks = trpcHttpHooks(services);
  const config = routerConfigOf(appRouter);
  return (req, res, next) => {
    const procedure = String(req.params.procedure);
    const ctx = hooks.createContext({ req });
    // As tRPC's adapter does: a procedure can tell its caller left, and stop; so does the download.
    const controller = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    let input: unknown;
    const download = async () => {
      let table: CsvRows;
      try {
        const reader = Object.hasOwn(CSV_TABLES, procedure) ? CSV_TABLES[procedure]! : null;
        if (!reader) {
          throw new AppError('NOT_FOUND', `there is no CSV download of "${procedure}"; there is one of ${Object.keys(CSV_TABLES).join(', ')}`);
        }
        input = inputOf(req);
        table = await reader.read(createAppCaller(ctx, { signal: controller.signal }), input);
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        hooks.onError({ error, path: procedure, req });
        const body = { error: getErrorShape({ config, error, type: 'query', path: procedure, input, ctx }) };
        // headersFor sets the JSON content type of an error.
        res.status(getHTTPStatusCode(body)).set(hooks.headersFor(ctx, [error]));
        res.end(JSON.stringify(transformTRPCResponse(config, body)));
        return;
      }
      startDownload(res, procedure, table, hooks.headersFor(ctx, []));
      await writeRows(res, table, controller.signal);
    };
    download().catch((error: unknown) => {
      // A download its caller abandoned ends here; the connection is already gone.
      if (!controller.signal.aborted) next(error);
    });
  };
}

/** The `input` query parameter, JSON as tRPC's GET requests carry it; none is an undefined input. */
function inputOf(req: Request): unknown {
  const { input } = req.query;
  if (input === undefined) return undefined;
  if (typeof input !== 'string') throw new AppError('BAD_REQUEST', 'give the input once, as one `input` query parameter holding JSON');
  try {
    return JSON.parse(input);
  } catch {
    throw new AppError('BAD_REQUEST', "the `input` query parameter is not JSON: send the URL-encoded JSON of the procedure's input");
  }
}

function startDownload(res: Response, procedure: string, table: CsvRows, callHeaders: Record<string, string>): void {
  const day = new Date().toISOString().slice(0, 10);
  res.status(200).set({
    ...callHeaders,
    'content-type': 'text/csv; charset=utf-8',
    // Only names of CSV_TABLES get here: nothing of the request's own text goes into the header.
    'content-disposition': `attachment; filename="pulse-${procedure}-${day}.csv"`,
    // A tenant's data: neither a browser's cache nor a proxy's keeps it.
    'cache-control': 'no-store',
    ...(table.nextCursor ? { 'pulse-next-cursor': table.nextCursor } : {}),
  });
}

/** The header and rows, written as the connection takes them (the rows are at most one bounded answer). */
async function writeRows(res: Response, table: CsvRows, signal: AbortSignal): Promise<void> {
  let chunk = UTF8_BOM + csvLine(table.header);
  for (const row of table.rows) {
    chunk += csvLine(row);
    if (chunk.length < WRITE_CHUNK_CHARS) continue;
    if (!res.write(chunk)) await once(res, 'drain', { signal });
    chunk = '';
  }
  res.end(chunk);
}
