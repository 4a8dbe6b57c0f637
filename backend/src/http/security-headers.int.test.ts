import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';

const DASHBOARD_ORIGIN = 'https://dashboard.example.com';
const OTHER_ORIGIN = 'https://evil.example.net';

let runtime: Runtime;
let server: TestServer;
let sameOriginOnly: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  runtime = await startTestRuntime();
  server = await startTestServer(runtime, { corsOrigins: [DASHBOARD_ORIGIN], trustProxy: 'loopback' });
  sameOriginOnly = await startTestServer(runtime);
  tenant = await createTestTenant(runtime, 'headers');
});

afterAll(async () => {
  await server?.close();
  await sameOriginOnly?.close();
  await runtime?.close();
});

const preflight = (url: string, origin: string, headers = 'content-type, authorization') =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });

describe('security headers', () => {
  it('every answer has them, with a Content-Security-Policy the dashboard works under (browser tests load every page under it)', async () => {
    for (const path of ['/', '/health/live', '/trpc/system.info']) {
      const response = await fetch(`${server.url}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('sends HSTS only over TLS: plain http (often local) never claims https', async () => {
    expect((await fetch(`${server.url}/health/live`)).headers.get('strict-transport-security')).toBeNull();
    // Behind a trusted TLS-terminating proxy.
    const overTls = await fetch(`${server.url}/health/live`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(overTls.headers.get('strict-transport-security')).toBe('max-age=31536000');
    // An untrusted client cannot make the server claim it.
    const forged = await fetch(`${sameOriginOnly.url}/health/live`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(forged.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('CORS on the API', () => {
  it('answers a listed origin with credentials, and exposes the retry and limit headers', async () => {
    const response = await fetch(`${server.url}/trpc/auth.whoAmI`, { headers: { origin: DASHBOARD_ORIGIN, authorization: `Bearer ${tenant.keys.read}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(DASHBOARD_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-expose-headers')).toMatch(/Retry-After.*RateLimit-Remaining/);
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('lets a listed origin through its preflight', async () => {
    const response = await preflight(`${server.url}/trpc/events.ingest`, DASHBOARD_ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(DASHBOARD_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
  });

  it('gives any other origin no Access-Control-Allow-Origin, on answers and preflights alike', async () => {
    for (const url of [`${server.url}/trpc/system.info`, `${sameOriginOnly.url}/trpc/system.info`]) {
      const response = await fetch(url, { headers: { origin: OTHER_ORIGIN } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
    for (const origin of [OTHER_ORIGIN, DASHBOARD_ORIGIN]) {
      const refused = await preflight(`${sameOriginOnly.url}/trpc/events.ingest`, origin);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('lets any origin post events to /v1 without credentials: ingest keys are write-only and public by design', async () => {
    const check = await preflight(`${sameOriginOnly.url}/v1/batch`, OTHER_ORIGIN);
    expect(check.status).toBe(204);
    expect(check.headers.get('access-control-allow-origin')).toBe('*');
    expect(check.headers.get('access-control-allow-credentials')).toBeNull();
    const response = await fetch(`${sameOriginOnly.url}/v1/track`, {
      method: 'POST',
      headers: { origin: OTHER_ORIGIN, authorization: `Bearer ${tenant.keys.ingest}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'signup', userId: 'u-1' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
