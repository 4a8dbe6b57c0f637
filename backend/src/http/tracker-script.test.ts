import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { trackerScript } from './tracker-script.ts';

const SCRIPT = '(()=>{window.pulse={track(){}}})();';
let distDir: string;
let emptyDir: string;
let server: ReturnType<express.Express['listen']>;
let baseUrl: string;

beforeAll(async () => {
  distDir = await mkdtemp(join(tmpdir(), 'pulse-dist-'));
  emptyDir = await mkdtemp(join(tmpdir(), 'pulse-dist-empty-'));
  await writeFile(join(distDir, 'pulse.js'), SCRIPT);
  const app = express().get('/pulse.js', trackerScript(distDir)).get('/unbuilt/pulse.js', trackerScript(emptyDir));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await rm(distDir, { recursive: true, force: true });
  await rm(emptyDir, { recursive: true, force: true });
});

it('serves the built script to other sites, cacheable for an hour and revalidated by its ETag', async () => {
  const response = await fetch(`${baseUrl}/pulse.js`);
  expect(response.status).toBe(200);
  expect(await response.text()).toBe(SCRIPT);
  expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
  const etag = response.headers.get('etag');
  expect(etag).toBeTruthy();

  // As a browser revalidates (fetch() would add `Cache-Control: no-cache`, which asks for the whole file).
  const revalidated = await fetch(`${baseUrl}/pulse.js`, { headers: { 'If-None-Match': etag!, 'Cache-Control': 'max-age=0' } });
  expect(revalidated.status).toBe(304);
});

it('answers 404 with what to do when the script is not built', async () => {
  const response = await fetch(`${baseUrl}/unbuilt/pulse.js`);
  expect(response.status).toBe(404);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(response.headers.get('cross-origin-resource-policy')).toBeNull();
  expect(await response.text()).toMatch(/not built yet: run `npm run build`/);
});
