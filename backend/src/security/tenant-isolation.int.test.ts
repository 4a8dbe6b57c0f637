import { randomBytes, randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TBoard } from '@pulse/shared/boards';
import type { TGoal } from '@pulse/shared/goals';
import { EVENT_TYPES } from '@pulse/shared/ingest';
import { createApp } from '../app.ts';
import { CSV_TABLES } from '../http/csv-tables.ts';
import { openSse } from '../infra/sse/sse-reader.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { accountIsolationCases } from './account-isolation-cases.ts';
import { alertIsolationCases } from './alert-isolation-cases.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../test/test-tenant.ts';
import { bearer, callTrpc } from '../test/trpc-http.ts';
import { appRouter } from '../trpc/app-router.ts';

// Tenant A holds keys of every scope and tries everything it can against tenant B: read, write, invalidate,
// subscribe. Each tRPC procedure and HTTP route must have a case here: a new one without a case fails the
// enumeration tests, so nobody can add an endpoint without saying how it keeps tenants apart.

const DAY_MS = 86_400_000;
const RANGE = { from: new Date(Date.now() - 2 * DAY_MS).toISOString(), to: new Date(Date.now() + DAY_MS).toISOString() };
const marker = randomBytes(4).toString('hex');
/** Strings that occur only in tenant B's data: none may appear in anything tenant A is answered. */
const B_SECRETS = { event: `b_secret_event_${marker}`, user: `b-user-${marker}`, path: `/b-secret-page-${marker}`, country: `BZ` };

let runtime: Runtime;
let server: TestServer;
/** A second instance with fault injection on, for the operator tools that only it offers. */
let faultRuntime: Runtime;
let faultServer: TestServer;
let a: TestTenant;
let b: TestTenant;
let bOnFaultInstance: TestTenant;
let aOnFaultInstance: TestTenant;
let bKeyIds: number[];
const A_EVENTS = 3;

beforeAll(async () => {
  [runtime, faultRuntime] = await Promise.all([startTestRuntime(), startTestRuntime({ FAULT_INJECTION: true })]);
  [server, faultServer] = await Promise.all([startTestServer(runtime), startTestServer(faultRuntime)]);
  [a, b, aOnFaultInstance, bOnFaultInstance] = await Promise.all([
    createTestTenant(runtime, 'iso-a'),
    createTestTenant(runtime, 'iso-b'),
    createTestTenant(runtime, 'iso-fa'),
    createTestTenant(runtime, 'iso-fb'),
  ]);
  await runtime.services.eventIngest.ingest(b, {
    batch: Array.from({ length: 5 }, (_, i) => ({
      type: 'page',
      name: B_SECRETS.event,
      userId: B_SECRETS.user,
      messageId: `b-${marker}-${i}`,
      context: { page: { path: B_SECRETS.path }, location: { country: B_SECRETS.country } },
      properties: { secret: B_SECRETS.event },
    })),
  });
  await runtime.services.eventIngest.ingest(a, {
    batch: Array.from({ length: A_EVENTS }, (_, i) => ({ type: 'track', event: 'a_event', userId: 'a-user', messageId: `a-${marker}-${i}` })),
  });
  bKeyIds = (await runtime.services.apiKeys.listKeys(b.id)).map((key) => key.id);
  // B's answers are cached first, so A asking the same questions would find them if cache keys ignored tenants.
  for (const [path, input] of Object.entries(ANALYTICS_INPUTS)) {
    expect((await callTrpc(server.url, path, 'query', input, bearer(b.keys.read))).status).toBe(200);
  }
});

afterAll(async () => {
  await Promise.all([server?.close(), faultServer?.close()]);
  await Promise.all([runtime?.close(), faultRuntime?.close()]);
});

const ANALYTICS_INPUTS: Record<string, unknown> = {
  'analytics.summary': RANGE,
  'analytics.timeseries': { ...RANGE, granularity: 'hour' },
  'analytics.topPages': RANGE,
  'analytics.breakdown': { ...RANGE, by: 'country' },
  'analytics.propertyBreakdown': { ...RANGE, key: 'secret' },
  'analytics.catalog': RANGE,
  'analytics.funnel': {
    ...RANGE,
    steps: [
      { kind: 'event', name: 'a_event' },
      { kind: 'event', name: B_SECRETS.event },
    ],
  },
  'analytics.retention': { ...RANGE, period: 'day' },
  'analytics.goals': RANGE,
};

/** Fails if anything of tenant B shows in an answer to tenant A. */
function expectNothingOfB(answer: unknown): void {
  const text = JSON.stringify(answer);
  for (const secret of [...Object.values(B_SECRETS).filter((value) => value.length > 2), b.slug, `Test iso-b`]) expect(text).not.toContain(secret);
  for (const key of Object.values(b.keys)) expect(text).not.toContain(key.slice(0, 12));
}

async function bStoredCount(): Promise<number> {
  const { rows } = await runtime.pool.query<{ count: string }>('SELECT count(*) FROM events WHERE tenant_id = $1', [b.id]);
  return Number(rows[0]!.count);
}

/** Reads one query as A with every key that may read it; the answer must be A's alone. */
async function readAsA(path: string, input: unknown): Promise<unknown[]> {
  const answers = [];
  for (const key of [a.keys.read, a.keys.admin]) {
    const answer = await callTrpc(server.url, path, 'query', input, bearer(key));
    expect(answer.status, `${path}: ${answer.error?.message}`).toBe(200);
    expectNothingOfB(answer.data);
    answers.push(answer.data);
  }
  return answers;
}

async function signedInCookie(key: string): Promise<string> {
  const answer = await callTrpc(server.url, 'auth.signIn', 'mutation', { apiKey: key });
  return answer.headers.get('set-cookie')!.split(';')[0]!;
}

/** What each tRPC procedure does to keep tenant B's data from a caller holding tenant A's keys. */
const PROCEDURE_CASES: Record<string, () => Promise<void>> = {
  'analytics.summary': async () => {
    const [answer] = (await readAsA('analytics.summary', ANALYTICS_INPUTS['analytics.summary'])) as Array<{ totalEvents: number }>;
    expect(answer!.totalEvents).toBe(A_EVENTS);
  },
  'analytics.timeseries': async () => {
    const [answer] = (await readAsA('analytics.timeseries', ANALYTICS_INPUTS['analytics.timeseries'])) as Array<{ points: Array<{ count: number }> }>;
    expect(answer!.points.reduce((sum, point) => sum + point.count, 0)).toBe(A_EVENTS);
  },
  'analytics.topPages': async () => {
    await readAsA('analytics.topPages', ANALYTICS_INPUTS['analytics.topPages']);
  },
  'analytics.breakdown': async () => {
    const [answer] = (await readAsA('analytics.breakdown', ANALYTICS_INPUTS['analytics.breakdown'])) as Array<{ rows: Array<{ value: string }> }>;
    expect(answer!.rows.map((row) => row.value)).not.toContain(B_SECRETS.country);
  },
  'analytics.propertyBreakdown': async () => {
    const [answer] = (await readAsA('analytics.propertyBreakdown', ANALYTICS_INPUTS['analytics.propertyBreakdown'])) as Array<{
      rows: unknown[];
      other: number;
    }>;
    expect(answer).toMatchObject({ rows: [], other: 0 });
  },
  'analytics.catalog': async () => {
    const [answer] = (await readAsA('analytics.catalog', ANALYTICS_INPUTS['analytics.catalog'])) as Array<{ eventNames: Array<{ name: string }> }>;
    expect(answer!.eventNames.map((row) => row.name)).toContain('a_event');
  },
  'analytics.funnel': async () => {
    // A's visitor did a_event and nobody of A's did B's secret event (whose name A's own question echoes in its labels).
    for (const key of [a.keys.read, a.keys.admin]) {
      const answer = await callTrpc<{ steps: Array<{ label: string; visitors: number }> }>(
        server.url,
        'analytics.funnel',
        'query',
        ANALYTICS_INPUTS['analytics.funnel'],
        bearer(key),
      );
      expect(answer.status, answer.error?.message).toBe(200);
      expect(answer.data!.steps.map((step) => step.visitors)).toEqual([1, 0]);
      expectNothingOfB({ ...answer.data, steps: answer.data!.steps.map(({ label: _label, ...step }) => step) });
    }
    // Page views of any path, broken down by path: B's secret page never shows.
    const pages = {
      ...RANGE,
      steps: [
        { kind: 'page', path: '/', match: 'startsWith' },
        { kind: 'event', name: 'a_event' },
      ],
      breakdown: 'path',
    };
    const [answer] = (await readAsA('analytics.funnel', pages)) as Array<{ steps: Array<{ visitors: number }>; breakdown: { rows: unknown[] } }>;
    expect(answer).toMatchObject({ steps: [{ visitors: 0 }, { visitors: 0 }], breakdown: { rows: [] } });
  },
  'analytics.retention': async () => {
    // Before the cases below add visitors to A: A's one visitor, in A's one cohort; nothing of B's.
    const [answer] = (await readAsA('analytics.retention', ANALYTICS_INPUTS['analytics.retention'])) as Array<{ periods: Array<{ size: number }> }>;
    expect(answer!.periods.map((period) => period.size).filter((size) => size > 0)).toEqual([1]);
  },
  'analytics.live': async () => {
    // Through the key and through a dashboard session: A's streams carry A's events and never B's.
    const streams = await Promise.all([
      openSse(`${server.url}/trpc/analytics.live?input=%7B%7D`, bearer(a.keys.read)),
      openSse(`${server.url}/trpc/analytics.live?input=%7B%7D`, { cookie: await signedInCookie(a.keys.admin) }),
    ]);
    try {
      await runtime.services.eventIngest.ingest(b, {
        batch: [{ type: 'track', event: B_SECRETS.event, userId: B_SECRETS.user, messageId: `b-live-${marker}` }],
      });
      await runtime.services.eventIngest.ingest(a, { batch: [{ type: 'track', event: 'a_live', userId: 'a-user', messageId: `a-live-${marker}` }] });
      for (const stream of streams) {
        const message = await stream.next(5_000);
        expectNothingOfB(message.data);
        expect(message.data).toContain(`a-live-${marker}`);
      }
    } finally {
      for (const stream of streams) stream.close();
    }
  },
  'auth.whoAmI': async () => {
    for (const key of Object.values(a.keys)) {
      const answer = await callTrpc<{ tenant: { id: number } }>(server.url, 'auth.whoAmI', 'query', undefined, {
        ...bearer(key),
        'x-tenant-id': String(b.id),
        'x-tenant': b.slug,
      });
      expect(answer.data!.tenant.id).toBe(a.id);
    }
  },
  'auth.signIn': async () => {
    const answer = await callTrpc<{ tenant: { id: number } }>(
      server.url,
      'auth.signIn',
      'mutation',
      { apiKey: a.keys.read, tenant: b.slug },
      { 'x-tenant-id': String(b.id) },
    );
    expect(answer.data!.tenant.id).toBe(a.id);
  },
  'auth.signOut': async () => {
    const bCookie = await signedInCookie(b.keys.read);
    // A's sign-out, however it is dressed up, ends only A's session.
    await callTrpc(server.url, 'auth.signOut', 'mutation', undefined, { cookie: await signedInCookie(a.keys.read) });
    await callTrpc(server.url, 'auth.signOut', 'mutation', undefined, bearer(a.keys.admin));
    expect((await callTrpc(server.url, 'auth.whoAmI', 'query', undefined, { cookie: bCookie })).status).toBe(200);
  },
  'auth.sessionTenants': async () => {
    const answer = await callTrpc(server.url, 'auth.sessionTenants', 'query', undefined, { cookie: await signedInCookie(a.keys.read) });
    expect(answer.data).toHaveLength(1);
    expectNothingOfB(answer.data);
  },
  'auth.switchTenant': async () => {
    const cookie = await signedInCookie(a.keys.read);
    for (const keyId of bKeyIds) {
      expect((await callTrpc(server.url, 'auth.switchTenant', 'mutation', { keyId }, { cookie })).status).toBe(404);
    }
    expect((await callTrpc<{ tenant: { id: number } }>(server.url, 'auth.whoAmI', 'query', undefined, { cookie })).data!.tenant.id).toBe(a.id);
  },
  'events.export': async () => {
    const [answer] = (await readAsA('events.export', { name: B_SECRETS.event })) as Array<{ events: unknown[] }>;
    expect(answer!.events).toEqual([]);
  },
  'events.list': async () => {
    const [answer] = (await readAsA('events.list', { userId: B_SECRETS.user })) as Array<{ events: unknown[] }>;
    expect(answer!.events).toEqual([]);
    await readAsA('events.list', {});
  },
  'events.recent': async () => {
    await readAsA('events.recent', { limit: 200 });
  },
  'events.timeline': async () => {
    // B's user id, asked for by A: no visitor, no events (A has none of that id).
    for (const answer of (await readAsA('events.timeline', { visitorId: B_SECRETS.user })) as Array<{ visitor: unknown; events: unknown[] }>) {
      expect(answer).toEqual({ visitor: null, events: [], nextCursor: null });
    }
    const [own] = (await readAsA('events.timeline', { visitorId: 'a-user' })) as Array<{ events: unknown[] }>;
    expect(own!.events.length).toBeGreaterThanOrEqual(A_EVENTS);
  },
  'events.ingest': async () => {
    const bBefore = await bStoredCount();
    await callTrpc(server.url, 'analytics.summary', 'query', RANGE, bearer(b.keys.read));
    const loadsBefore = runtime.services.system.cacheStats().counters.loads;
    // An event of A's that names B every way a body or header can: it is A's, and B's cached answers stay.
    const answer = await callTrpc(
      server.url,
      'events.ingest',
      'mutation',
      {
        batch: [
          {
            type: 'track',
            event: 'a_claims_b',
            userId: B_SECRETS.user,
            messageId: `a-claims-${marker}`,
            context: { tenant: b.slug, tenantId: b.id },
            writeKey: b.keys.ingest,
          },
        ],
      },
      { ...bearer(a.keys.ingest), 'x-tenant-id': String(b.id) },
    );
    expect(answer.status).toBe(200);
    expect(await bStoredCount()).toBe(bBefore);
    const bSummary = await callTrpc<{ totalEvents: number }>(server.url, 'analytics.summary', 'query', RANGE, bearer(b.keys.read));
    expect(runtime.services.system.cacheStats().counters.loads).toBe(loadsBefore);
    expect(bSummary.data!.totalEvents).toBe(bBefore);
  },
  'keys.list': async () => {
    const answer = await callTrpc<Array<{ id: number }>>(server.url, 'keys.list', 'query', undefined, bearer(a.keys.admin));
    expect(answer.data!.map((key) => key.id)).not.toEqual(expect.arrayContaining([bKeyIds[0]]));
    expectNothingOfB(answer.data);
  },
  'keys.create': async () => {
    const created = await callTrpc<{ key: string }>(
      server.url,
      'keys.create',
      'mutation',
      { name: 'made by A', scope: 'read', tenantId: b.id },
      bearer(a.keys.admin),
    );
    const whoAmI = await callTrpc<{ tenant: { id: number } }>(server.url, 'auth.whoAmI', 'query', undefined, bearer(created.data!.key));
    expect(whoAmI.data!.tenant.id).toBe(a.id);
  },
  'keys.revoke': async () => {
    for (const id of bKeyIds) expect((await callTrpc(server.url, 'keys.revoke', 'mutation', { id }, bearer(a.keys.admin))).status).toBe(404);
    expect((await callTrpc(server.url, 'auth.whoAmI', 'query', undefined, bearer(b.keys.read))).status).toBe(200);
  },
  'usage.get': async () => {
    // A's quota counts A's stored events, none of B's (B stored more than A).
    const { rows } = await runtime.pool.query<{ count: string }>('SELECT count(*) FROM events WHERE tenant_id = $1', [a.id]);
    for (const answer of (await readAsA('usage.get', undefined)) as Array<{ used: number }>) expect(answer.used).toBe(Number(rows[0]!.count));
  },
  ...scenarioCases(),
  ...instanceCases(),
  ...goalAndBoardCases(),
  ...accountIsolationCases({ runtime: () => runtime, server: () => server, a: () => a, b: () => b, expectNothingOfB }),
  ...alertIsolationCases({ runtime: () => runtime, server: () => server, a: () => a, b: () => b, expectNothingOfB }),
};

/** Scenario runs belong to the tenant that started them: others can neither see, follow nor cancel them. */
function scenarioCases(): Record<string, () => Promise<void>> {
  const asA = (path: string, type: 'query' | 'mutation', input?: unknown) =>
    callTrpc<any>(faultServer.url, path, type, input, bearer(aOnFaultInstance.keys.admin));
  async function withRunOfB(check: (runId: string) => Promise<void>): Promise<void> {
    const started = await callTrpc<{ runId: string }>(
      faultServer.url,
      'scenarios.start',
      'mutation',
      { scenario: 'end-to-end' },
      bearer(bOnFaultInstance.keys.admin),
    );
    expect(started.status, started.error?.message).toBe(200);
    try {
      await check(started.data!.runId);
    } finally {
      await callTrpc(faultServer.url, 'scenarios.cancel', 'mutation', { runId: started.data!.runId }, bearer(bOnFaultInstance.keys.admin));
      await faultRuntime.services.scenarios.close();
    }
  }
  return {
    'scenarios.status': () =>
      withRunOfB(async () => {
        expect((await asA('scenarios.status', 'query')).data.running).toBeNull();
      }),
    'scenarios.start': () =>
      withRunOfB(async (runId) => {
        const refused = await asA('scenarios.start', 'mutation', { scenario: 'end-to-end' });
        expect(refused.status).toBe(409);
        expect(refused.error!.message).not.toContain(runId);
      }),
    'scenarios.cancel': () =>
      withRunOfB(async (runId) => {
        expect((await asA('scenarios.cancel', 'mutation', { runId })).status).toBe(404);
        expect((await callTrpc<any>(faultServer.url, 'scenarios.status', 'query', undefined, bearer(bOnFaultInstance.keys.admin))).data.running.runId).toBe(
          runId,
        );
      }),
    'scenarios.progress': () =>
      withRunOfB(async (runId) => {
        const input = encodeURIComponent(JSON.stringify({ runId }));
        const stream = await openSse(`${faultServer.url}/trpc/scenarios.progress?input=${input}`, bearer(aOnFaultInstance.keys.admin));
        try {
          // A subscription's refusal arrives as the stream's error event: the same 404 as for a run that never was.
          const message = await stream.next(5_000);
          expect(message.event).toBe('serialized-error');
          expect(JSON.parse(message.data)).toMatchObject({ data: { httpStatus: 404 } });
        } finally {
          stream.close();
        }
      }),
  };
}

/**
 * The system procedures describe the instance, not a tenant: they must carry nothing of any tenant. Fault
 * injection changes the whole instance, so it exists only where FAULT_INJECTION=true (tests and demos, never
 * a shared production server); elsewhere every tenant's admin key is refused.
 */
function instanceCases(): Record<string, () => Promise<void>> {
  const instanceWide = (path: string) => async () => {
    await readAsA(path, undefined);
  };
  const refusedWithoutFaultInjection = (path: string, input?: unknown) => async () => {
    const answer = await callTrpc(server.url, path, 'mutation', input, bearer(a.keys.admin));
    expect(answer.status, answer.error?.message).toBe(403);
    expect(answer.error!.message).toMatch(/FAULT_INJECTION/);
  };
  return {
    'system.info': instanceWide('system.info'),
    'system.cacheStats': instanceWide('system.cacheStats'),
    'system.health': instanceWide('system.health'),
    'system.faults': async () => {
      expect((await callTrpc(server.url, 'system.faults', 'query', undefined, bearer(a.keys.read))).status).toBe(403);
      expectNothingOfB((await callTrpc(server.url, 'system.faults', 'query', undefined, bearer(a.keys.admin))).data);
    },
    'system.metrics': async () => {
      const stream = await openSse(`${server.url}/trpc/system.metrics`, bearer(a.keys.read));
      try {
        expectNothingOfB((await stream.next(5_000)).data);
      } finally {
        stream.close();
      }
    },
    'system.injectFault': refusedWithoutFaultInjection('system.injectFault', { target: 'postgres', outage: true, durationSeconds: 1 }),
    'system.clearFaults': refusedWithoutFaultInjection('system.clearFaults'),
  };
}

/**
 * Goals and boards belong to their tenant: A lists and reads only its own, and B's ids are unknown to A's reads,
 * updates and deletes (404, as for ids that never were), which leave B's goals and boards as they were.
 */
function goalAndBoardCases(): Record<string, () => Promise<void>> {
  let owned: Promise<{ goal: TGoal; board: TBoard }> | null = null;
  /** B's goal and board, named so that expectNothingOfB finds them in anything A is answered. */
  const ofB = () =>
    (owned ??= (async () => ({
      goal: await runtime.services.goals.create(b.id, { name: `goal ${B_SECRETS.event}`, match: { kind: 'page', path: B_SECRETS.path, match: 'is' } }),
      board: await runtime.services.boards.create(b.id, {
        name: `board ${B_SECRETS.event}`,
        tiles: [
          {
            id: randomUUID(),
            title: B_SECRETS.event,
            layout: { x: 0, y: 0, w: 12, h: 4 },
            insight: {
              procedure: 'analytics.breakdown',
              input: { by: 'country', filters: [{ field: 'path', operator: 'is', value: B_SECRETS.path }] },
              rangePreset: '7d',
            },
          },
        ],
      }),
    }))());
  const asA = (path: string, type: 'query' | 'mutation', input: unknown, key = a.keys.admin) => callTrpc(server.url, path, type, input, bearer(key));
  async function expectBUnchanged(): Promise<void> {
    const { goal, board } = await ofB();
    expect(await runtime.services.goals.list(b.id)).toEqual([goal]);
    expect(await runtime.services.boards.list(b.id)).toHaveLength(1);
    expect(await runtime.services.boards.get(b.id, board.id)).toEqual(board);
  }
  const refusedWithBId = (path: string, type: 'query' | 'mutation', input: (owned: { goal: TGoal; board: TBoard }) => unknown) => async () => {
    const answer = await asA(path, type, input(await ofB()));
    expect(answer.status, answer.error?.message).toBe(404);
    expectNothingOfB(answer.error);
    await expectBUnchanged();
  };
  return {
    'analytics.goals': async () => {
      const { goal } = await ofB();
      // B's report is cached first: A asking the same question must not find it.
      expect((await callTrpc(server.url, 'analytics.goals', 'query', RANGE, bearer(b.keys.read))).status).toBe(200);
      const answers = (await readAsA('analytics.goals', RANGE)) as Array<{ goals: Array<{ id: number }> }>;
      for (const answer of answers) expect(answer.goals.map((row) => row.id)).not.toContain(goal.id);
    },
    'goals.list': async () => {
      const { goal } = await ofB();
      for (const answer of (await readAsA('goals.list', undefined)) as TGoal[][]) expect(answer.map((row) => row.id)).not.toContain(goal.id);
    },
    'goals.create': async () => {
      await ofB();
      const created = await asA('goals.create', 'mutation', { name: 'made by A', match: { kind: 'event', name: 'a_event' }, tenantId: b.id });
      expect(created.status, created.error?.message).toBe(200);
      expect((await runtime.services.goals.list(a.id)).map((goal) => goal.name)).toContain('made by A');
      await expectBUnchanged();
    },
    'goals.update': refusedWithBId('goals.update', 'mutation', ({ goal }) => ({ id: goal.id, name: 'taken by A', match: { kind: 'event', name: 'a_event' } })),
    'goals.delete': refusedWithBId('goals.delete', 'mutation', ({ goal }) => ({ id: goal.id })),
    'boards.list': async () => {
      const { board } = await ofB();
      for (const answer of (await readAsA('boards.list', undefined)) as Array<Array<{ id: number }>>)
        expect(answer.map((row) => row.id)).not.toContain(board.id);
    },
    'boards.get': async () => {
      const { board } = await ofB();
      for (const key of [a.keys.read, a.keys.admin]) {
        const answer = await asA('boards.get', 'query', { id: board.id }, key);
        expect(answer.status).toBe(404);
        expectNothingOfB(answer.error);
      }
    },
    'boards.create': async () => {
      await ofB();
      const created = await asA('boards.create', 'mutation', { name: 'made by A', tenantId: b.id });
      expect(created.status, created.error?.message).toBe(200);
      expect((await runtime.services.boards.list(a.id)).map((board) => board.name)).toContain('made by A');
      await expectBUnchanged();
    },
    'boards.update': refusedWithBId('boards.update', 'mutation', ({ board }) => ({ id: board.id, name: 'taken by A', tiles: [] })),
    'boards.delete': refusedWithBId('boards.delete', 'mutation', ({ board }) => ({ id: board.id })),
  };
}

/** Every route Express serves outside /trpc, as "METHOD /path". */
function httpRoutes(app: Express): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: Layer[] }; match(path: string): boolean };
  const MOUNTS = ['/v1', '/beacon/v1', '/trpc'];
  const routes: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) routes.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      } else if (layer.handle.stack) {
        const mount = MOUNTS.find((candidate) => layer.match(candidate) && !layer.match('/not-a-mount'));
        if (mount === undefined)
          throw new Error('a router is mounted somewhere this suite does not know: add its mount to MOUNTS and its routes to ROUTE_CASES');
        walk(layer.handle.stack, mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return routes.sort();
}

async function ingestThroughSegment(path: string, body: unknown): Promise<void> {
  const bBefore = await bStoredCount();
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { ...bearer(a.keys.ingest), 'content-type': 'application/json', 'x-tenant-id': String(b.id) },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  expect(await bStoredCount()).toBe(bBefore);
}

const segmentEvent = (type: string) => ({
  type,
  event: 'a_claims_b',
  userId: 'a-user',
  messageId: `seg-${type}-${marker}`,
  groupId: 'a-group',
  previousId: 'a-previous',
  writeKey: b.keys.ingest,
  context: { tenant: b.slug },
});

/** Every ingestion route of Segment's API, under /v1 and (RudderStack's beacons) /beacon/v1, with a body for it. */
const INGEST_ROUTE_CASES = Object.fromEntries(
  ['/v1', '/beacon/v1'].flatMap((mount) => [
    ...['batch', 'b'].map((path) => [
      `POST ${mount}/${path}`,
      () => ingestThroughSegment(`${mount}/${path}`, { batch: [segmentEvent('track')], writeKey: b.keys.ingest }),
    ]),
    ...EVENT_TYPES.flatMap((type) =>
      [type, type[0]!].map((path) => [`POST ${mount}/${path}`, () => ingestThroughSegment(`${mount}/${path}`, segmentEvent(type))]),
    ),
    [`POST ${mount}/m`, () => sdkReportStoresNothing(`${mount}/m`)],
    [`GET ${mount}/projects/:writeKey/settings`, () => settingsTellNothingOfB(`${mount}/projects/${a.keys.ingest}/settings`)],
  ]),
) as Record<string, () => Promise<void>>;

async function sdkReportStoresNothing(path: string): Promise<void> {
  const bBefore = await bStoredCount();
  const response = await fetch(`${server.url}${path}`, { method: 'POST', body: JSON.stringify({ series: [{ tenant: b.slug }] }) });
  expect(response.status).toBe(200);
  expect(await bStoredCount()).toBe(bBefore);
}

async function settingsTellNothingOfB(path: string): Promise<void> {
  const response = await fetch(`${server.url}${path}`, { headers: bearer(a.keys.ingest) });
  expect(response.status).toBe(200);
  expectNothingOfB(await response.text());
}

/** What each HTTP route outside tRPC does to keep tenant B's data from tenant A. */
const ROUTE_CASES: Record<string, () => Promise<void>> = {
  'GET /': async () => {
    expect(await (await fetch(server.url)).text()).not.toContain(b.slug);
  },
  'GET /health/live': async () => {
    expectNothingOfB(await (await fetch(`${server.url}/health/live`)).text());
  },
  'GET /health/ready': async () => {
    expectNothingOfB(await (await fetch(`${server.url}/health/ready`)).text());
  },
  'GET /metrics': async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expectNothingOfB(text);
    expect(text).not.toMatch(/tenant="?\d/);
  },
  ...INGEST_ROUTE_CASES,
  'GET /sourceConfig': () => settingsTellNothingOfB(`/sourceConfig/?writeKey=${a.keys.ingest}`),
  'GET /pulse.js': async () => {
    expectNothingOfB(await (await fetch(`${server.url}/pulse.js`)).text());
  },
  'GET /api/csv/:procedure': async () => {
    // Every table's download, asked for as A (by key and by session) with questions about B's data: A's rows alone.
    // A's own events may carry B's user id by now (events.ingest's case sends one): B's rows are told by the rest.
    const { user: _claimedByA, ...rowSecrets } = B_SECRETS;
    const cookie = await signedInCookie(a.keys.read);
    expect(Object.keys(CSV_INPUTS).sort()).toEqual(Object.keys(CSV_TABLES).sort());
    for (const [procedure, input] of Object.entries(CSV_INPUTS)) {
      for (const headers of [bearer(a.keys.read), bearer(a.keys.admin), { cookie }]) {
        const response = await fetch(`${server.url}/api/csv/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers });
        const text = await response.text();
        expect(response.status, `${procedure}: ${text}`).toBe(200);
        for (const secret of [...Object.values(rowSecrets).filter((value) => value.length > 2), `b-${marker}`, b.slug]) expect(text).not.toContain(secret);
        for (const key of Object.values(b.keys)) expect(text).not.toContain(key.slice(0, 12));
      }
    }
  },
};

/** The input of each table's CSV download in the case above: the questions about B's data. */
const CSV_INPUTS: Record<string, unknown> = {
  'analytics.summary': ANALYTICS_INPUTS['analytics.summary'],
  'analytics.topPages': ANALYTICS_INPUTS['analytics.topPages'],
  'analytics.breakdown': ANALYTICS_INPUTS['analytics.breakdown'],
  'analytics.propertyBreakdown': ANALYTICS_INPUTS['analytics.propertyBreakdown'],
  // A's own question would echo B's secret event name in its labels: this one names pages of any path instead.
  'analytics.funnel': {
    ...RANGE,
    steps: [
      { kind: 'page', path: '/', match: 'startsWith' },
      { kind: 'event', name: 'a_event' },
    ],
  },
  'analytics.goals': ANALYTICS_INPUTS['analytics.goals'],
  'analytics.retention': ANALYTICS_INPUTS['analytics.retention'],
  'events.list': { name: B_SECRETS.event },
  'events.timeline': { visitorId: B_SECRETS.user },
};

describe('tenant isolation', () => {
  it('has a case for every tRPC procedure, and no case for one that is gone', () => {
    expect(Object.keys(PROCEDURE_CASES).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  it('has a case for every HTTP route outside tRPC', () => {
    expect(Object.keys(ROUTE_CASES).sort()).toEqual(httpRoutes(createApp(runtime, { webDistDir: 'web/dist', corsOrigins: [], requestTimeoutMs: 30_000 })));
  });

  it.each(Object.keys(PROCEDURE_CASES))('%s: a key of tenant A cannot reach tenant B', async (path) => {
    await PROCEDURE_CASES[path]!();
  });

  it.each(Object.keys(ROUTE_CASES))('%s: a key of tenant A cannot reach tenant B', async (route) => {
    await ROUTE_CASES[route]!();
  });

  it("keeps B's data whole through all of it", async () => {
    expect(await bStoredCount()).toBe(6);
    const summary = await callTrpc<{ totalEvents: number }>(server.url, 'analytics.summary', 'query', RANGE, bearer(b.keys.read));
    expect(summary.data!.totalEvents).toBe(6);
  });
});
