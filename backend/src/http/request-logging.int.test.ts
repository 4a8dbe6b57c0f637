import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startChaosServer, type ChaosServer } from '../test/chaos-server.ts';

// The real server process logs one JSON line per request on stdout, with a request id the caller can follow.
let chaos: ChaosServer;

beforeAll(async () => {
  chaos = await startChaosServer({ label: 'logging', env: { LOG_LEVEL: 'debug' } });
}, 30_000);

afterAll(() => chaos?.close());

const logLines = () =>
  chaos.server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map(
      (line) =>
        JSON.parse(line) as {
          level: number;
          reqId?: string;
          msg: string;
          req?: { method: string; path: string };
          res?: { status: number };
          responseTime?: number;
        },
    );

const waitForLine = (reqId: string) =>
  vi.waitFor(
    () => {
      const line = logLines().find((entry) => entry.reqId === reqId);
      if (!line) throw new Error(`no log line for request ${reqId}:\n${chaos.server.output()}`);
      return line;
    },
    { timeout: 10_000, interval: 50 },
  );

it('logs each request as JSON with its id, path, status and time, and never the key or the query', async () => {
  const { server, tenant } = chaos;
  const response = await fetch(`${server.url}/trpc/auth.whoAmI?input=%7B%7D`, {
    headers: { authorization: `Bearer ${tenant.keys.read}`, 'x-request-id': 'checkout-42' },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('x-request-id')).toBe('checkout-42');

  const line = await waitForLine('checkout-42');
  expect(line).toMatchObject({ msg: 'request completed', req: { method: 'GET', path: '/trpc/auth.whoAmI' }, res: { status: 200 } });
  expect(line.responseTime).toBeGreaterThanOrEqual(0);
  expect(server.output()).not.toContain(tenant.keys.read);
  expect(server.output()).not.toContain('input=');
});

it('makes up an id when the caller sends none (or a malformed one), logs refusals as warnings, and skips health checks', async () => {
  const { server } = chaos;
  const refused = await fetch(`${server.url}/trpc/auth.whoAmI`, { headers: { 'x-request-id': 'no spaces allowed' } });
  expect(refused.status).toBe(401);
  const id = refused.headers.get('x-request-id')!;
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  expect(await waitForLine(id)).toMatchObject({ level: 40, res: { status: 401 } });

  const health = await fetch(`${server.url}/health/ready`);
  const healthId = health.headers.get('x-request-id')!;
  // Lines go out in the order requests finish: once a later request's line is there, the health check's would be too.
  await fetch(`${server.url}/trpc/auth.whoAmI`, { headers: { 'x-request-id': 'after-health' } });
  await waitForLine('after-health');
  expect(logLines().some((entry) => entry.reqId === healthId)).toBe(false);
});
