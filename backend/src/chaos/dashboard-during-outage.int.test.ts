import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ZHealth } from '@pulse/shared/system';
import { startChaosServer, type ChaosServer } from '../test/chaos-server.ts';
import { bearer, callTrpc, type ProcedureType, type TrpcAnswer } from '../test/trpc-http.ts';

// While PostgreSQL is cut, every call the dashboard and an API client make — keys, sessions, the event log,
// exports, uncached analytics, ingestion — answers 2xx or a 503 with Retry-After: never a 500. (Every Prisma
// call goes through a circuit breaker, so an outage is a DependencyUnavailableError wherever it happens.)

const DAY_MS = 86_400_000;

let chaos: ChaosServer;
let sessionCookie: string;

beforeAll(async () => {
  chaos = await startChaosServer({ label: 'dashboard-outage', behindProxy: 'postgres', env: { PG_READ_TIMEOUT_MS: '1000', PG_WRITE_TIMEOUT_MS: '1000' } });
  const signIn = await fetch(`${chaos.server.url}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: chaos.tenant.keys.admin }),
  });
  expect(signIn.status).toBe(200);
  sessionCookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
});

afterAll(() => chaos?.close());

/** Ranges no earlier call asked for, so every analytics answer needs the database. */
let rangeOffset = 0;
function uncachedRange() {
  rangeOffset += 1;
  const to = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - rangeOffset * DAY_MS);
  return { from: new Date(to.getTime() - 3 * DAY_MS).toISOString(), to: to.toISOString() };
}

it('answers every dashboard and API call with 2xx or 503 + Retry-After while PostgreSQL is out', async () => {
  const { server, tenant, proxy } = chaos;
  const admin = bearer(tenant.keys.admin);
  const cookie = { cookie: sessionCookie };
  // Known to this instance (memo) and to the key directory, as keys in use are.
  expect((await callTrpc(server.url, 'auth.whoAmI', 'query', undefined, admin)).status).toBe(200);

  proxy!.cut();
  await vi.waitFor(
    async () => {
      const health = ZHealth.parse(await (await fetch(`${server.url}/health/ready`)).json());
      expect(health.checks.postgres).not.toBe('ok');
    },
    { timeout: 10_000, interval: 100 },
  );

  const calls: Array<[string, ProcedureType, () => unknown, Record<string, string>]> = [
    ['auth.whoAmI', 'query', () => undefined, admin],
    ['auth.signIn', 'mutation', () => ({ apiKey: tenant.keys.read }), {}],
    ['auth.sessionTenants', 'query', () => undefined, cookie],
    ['auth.switchTenant', 'mutation', () => ({ keyId: 1 }), cookie],
    ['keys.list', 'query', () => undefined, admin],
    ['keys.create', 'mutation', () => ({ name: 'during the outage', scope: 'read' }), admin],
    ['keys.revoke', 'mutation', () => ({ id: 1 }), admin],
    ['events.list', 'query', () => ({ limit: 10 }), admin],
    ['events.recent', 'query', () => ({ limit: 10 }), admin],
    ['events.export', 'query', () => ({ limit: 100 }), admin],
    ['analytics.summary', 'query', uncachedRange, admin],
    ['analytics.timeseries', 'query', () => ({ ...uncachedRange(), granularity: 'hour', timeZone: 'Europe/Paris' }), admin],
    ['analytics.topPages', 'query', () => ({ ...uncachedRange(), limit: 5 }), admin],
    ['analytics.breakdown', 'query', () => ({ ...uncachedRange(), by: 'browser', limit: 5 }), admin],
    ['events.ingest', 'mutation', () => ({ batch: [{ type: 'track', event: 'outage', userId: 'u' }] }), bearer(tenant.keys.ingest)],
    ['system.health', 'query', () => undefined, admin],
    ['scenarios.status', 'query', () => undefined, admin],
  ];
  const answers: Array<[string, TrpcAnswer]> = [];
  // Twice: first while the breakers are still closed (each call waits out its timeout), then with them open.
  for (let round = 0; round < 2; round += 1) {
    for (const [path, type, input, headers] of calls) answers.push([path, await callTrpc(server.url, path, type, input(), headers)]);
  }
  proxy!.restore();

  const unclear = answers
    .filter(([, answer]) => !(answer.status < 300 || (answer.status === 503 && Number(answer.headers.get('retry-after')) > 0)))
    .map(([path, answer]) => `${path}: ${answer.status} ${answer.error?.message ?? ''}`);
  expect(unclear).toEqual([]);
  // The outage was real: calls that need the database were refused, not answered from thin air.
  expect(answers.filter(([path, answer]) => path === 'keys.list' && answer.status === 503)).toHaveLength(2);
  expect(answers.find(([path]) => path === 'events.ingest')![1].status).toBe(200);
}, 90_000);
