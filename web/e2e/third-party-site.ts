import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext } from 'playwright-core';

export interface SiteFile {
  contentType: string;
  body: string | Buffer;
}

export interface ThirdPartySite {
  /** `http://127.0.0.1:<port>`: another origin than the Pulse test server's (another port). */
  url: string;
  close(): Promise<void>;
}

/**
 * A customer's website, for tests of browser SDKs that send to Pulse from another origin: a plain HTTP server
 * on loopback answering each path of `files` (the query string ignored), and 404 to anything else.
 */
export async function startThirdPartySite(files: Record<string, SiteFile>): Promise<ThirdPartySite> {
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://site').pathname];
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`no file ${req.url} on this test site`);
      return;
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': 'no-store' }).end(file.body);
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Aborts every request of `context`'s pages to an origin not in `allowedOrigins` and lists it (the whole URL) in
 * `blocked`, for the test to `expect(blocked).toEqual([])`: an SDK that fetches settings, plugins or metrics
 * from a CDN fails the test instead of reaching the Internet. Routes a test adds later run first; one that
 * fulfils a request (a stand-in CDN) keeps it from this guard.
 */
export async function failOnExternalRequests(context: BrowserContext, allowedOrigins: string[]): Promise<{ blocked: string[] }> {
  const allowed = new Set(allowedOrigins.map((origin) => new URL(origin).origin));
  const blocked: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (allowed.has(new URL(url).origin)) return route.fallback();
    blocked.push(url);
    await route.abort('blockedbyclient');
  });
  return { blocked };
}
