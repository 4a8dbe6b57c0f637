import { resolve } from 'node:path';
import type { RequestHandler } from 'express';

const HEADERS = {
  'Content-Type': 'text/javascript; charset=utf-8',
  // Other sites load it with <script src>: the same-origin policy helmet sets on every answer would block that.
  'Cross-Origin-Resource-Policy': 'cross-origin',
  // An hour: a new version reaches every site within one, and visitors' browsers do not ask on every page.
  'Cache-Control': 'public, max-age=3600',
};

/**
 * The browser tracker (web/tracker/pulse.ts, built into `<webDistDir>/pulse.js` by `npm run build`), for
 * `<script src="…/pulse.js">` on any site. An ETag lets browsers revalidate it with a 304 once the hour is up.
 */
export function trackerScript(webDistDir: string): RequestHandler {
  const scriptPath = resolve(webDistDir, 'pulse.js');
  return (_req, res, next) => {
    // The headers apply only when the file is sent; send's own ETag (size and modification time) comes with it.
    res.sendFile(scriptPath, { headers: HEADERS, etag: true }, (error: (Error & { status?: number }) | undefined) => {
      if (!error) return;
      if (error.status !== 404 || res.headersSent) return next(error);
      res.status(404).type('text').send('pulse.js is not built yet: run `npm run build` (it writes web/dist/pulse.js).');
    });
  };
}
