import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_SCOPE_PERMISSIONS, ROLE_PERMISSIONS, ROLES, type TPermission, type TRole } from '@pulse/shared/roles';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, type TestTenant } from '../test/test-tenant.ts';
import { appRouter } from '../trpc/app-router.ts';
import { createContextFactory } from '../trpc/context.ts';
import { createCallerFactory, type ProcedureMeta } from '../trpc/trpc.ts';

// The permission matrix (shared/src/roles.ts), enforced: every procedure × every role and key scope, in the
// caller's own tenant and in another tenant where the same person is only a Viewer. Each procedure needs a case
// here; a new one without a case fails the first test, so nobody adds an endpoint without saying who may call it.
//
// Calls go through the real router and middleware with a session cookie or a key, as over HTTP. Inputs are
// deliberately invalid wherever a procedure takes input: authorisation runs before input validation, so a
// permitted caller gets BAD_REQUEST (nothing done) and a refused one FORBIDDEN.

/** How each procedure is called here. `public`: callable without a tenant (sign-in, invitations): no permission. */
type Case = { call: 'invalid-input' } | { call: 'no-input' } | { call: 'public' };
const INVALID = 'not an object';

const CASES: Record<string, Case> = {
  ...cases('invalid-input', [
    'analytics.summary',
    'analytics.timeseries',
    'analytics.topPages',
    'analytics.breakdown',
    'analytics.propertyBreakdown',
    'analytics.catalog',
    'analytics.funnel',
    'analytics.retention',
    'analytics.goals',
    'analytics.live',
    'events.ingest',
    'events.export',
    'events.list',
    'events.recent',
    'events.timeline',
    'goals.create',
    'goals.update',
    'goals.delete',
    'boards.get',
    'boards.create',
    'boards.update',
    'boards.delete',
    'alerts.create',
    'alerts.update',
    'alerts.delete',
    'alerts.history',
    'alerts.createWebhook',
    'alerts.deleteWebhook',
    'alerts.deliveries',
    'keys.create',
    'keys.revoke',
    'members.invite',
    'members.revokeInvitation',
    'members.changeRole',
    'members.remove',
    'audit.list',
    'tenant.setRetention',
    'tenant.setPlan',
    'scenarios.start',
    'scenarios.cancel',
    'scenarios.progress',
    'system.injectFault',
  ]),
  ...cases('no-input', [
    'auth.whoAmI',
    'goals.list',
    'boards.list',
    'alerts.list',
    'alerts.webhooks',
    'keys.list',
    'members.list',
    'tenant.settings',
    'usage.get',
    'scenarios.status',
    'system.faults',
    'system.clearFaults',
    'system.cacheStats',
    'system.health',
    'system.metrics',
    'system.info',
    // Last: it takes the member out of the tenant (the test puts them back).
    'members.leave',
  ]),
  ...cases('public', [
    'auth.signIn',
    'auth.signInWithPassword',
    'auth.signInWithLink',
    'auth.changePassword',
    'auth.signOut',
    'auth.signOutEverywhere',
    'auth.sessionTenants',
    'auth.switchTenant',
    'invitations.preview',
    'invitations.accept',
  ]),
};

function cases(call: Case['call'], paths: string[]): Record<string, Case> {
  return Object.fromEntries(paths.map((path) => [path, { call }]));
}

type Grant = { role: TRole } | { scope: 'ingest' | 'read' | 'admin' };
type Outcome = 'allowed' | 'refused';

let runtime: Runtime;
let own: TestTenant;
let other: TestTenant;
const people = new Map<TRole, { userId: number; email: string; password: string }>();
const createCaller = createCallerFactory(appRouter);

beforeAll(async () => {
  runtime = await startTestRuntime({ FAULT_INJECTION: true });
  [own, other] = await Promise.all([createTestTenant(runtime, 'matrix-own'), createTestTenant(runtime, 'matrix-other')]);
  for (const role of ROLES) {
    const email = `${role}-${randomBytes(4).toString('hex')}@matrix.test`;
    const password = randomBytes(12).toString('base64url');
    const user = await runtime.services.users.create(email, password);
    await runtime.prisma.membership.createMany({
      data: [
        { tenantId: own.id, userId: user.id, role },
        { tenantId: other.id, userId: user.id, role: 'viewer' },
      ],
    });
    people.set(role, { userId: user.id, email, password });
  }
});

afterAll(async () => {
  await runtime?.close();
});

/** A caller as the router sees a request with this cookie or key. */
function callerWith(headers: Record<string, string>) {
  const req = { headers, ip: '127.0.0.1', socket: {}, secure: false } as unknown as Request;
  return createCaller(createContextFactory(runtime.services)({ req }));
}

async function sessionOf(role: TRole): Promise<string> {
  const person = people.get(role)!;
  const { newToken } = await runtime.services.accounts.signInWithPassword(person.email, person.password, '127.0.0.1', null);
  // Both memberships were made at once: which one a new session starts in is not this test's subject.
  await runtime.services.sessions.switchTenant(newToken, { tenantId: own.id });
  return `pulse_session=${newToken}`;
}

/** Calls `path` and says whether the caller was refused for want of a permission; any other answer is "allowed". */
async function outcomeOf(headers: Record<string, string>, path: string): Promise<Outcome> {
  const procedure = path.split('.').reduce<any>((node, part) => node[part], callerWith(headers));
  try {
    const result = await (CASES[path]!.call === 'invalid-input' ? procedure(INVALID) : procedure());
    // A subscription answers with its stream once allowed: close it unread.
    if (result && typeof result[Symbol.asyncIterator] === 'function') await result[Symbol.asyncIterator]().return?.();
    return 'allowed';
  } catch (error) {
    // The server's own error (an AppError) is the cause of what the caller throws, as the error formatter reads it.
    const { code, message } = ((error as { cause?: unknown }).cause ?? error) as { code?: string; message: string };
    if (code === 'UNAUTHORIZED') throw new Error(`${path}: not signed in: ${message}`, { cause: error });
    return code === 'FORBIDDEN' && /; only .+ may /.test(message) ? 'refused' : 'allowed';
  }
}

const permissionOf = (path: string) =>
  (appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta } }>)[path]!._def.meta?.permission ?? null;

function expected(grant: Grant, permission: TPermission | null): Outcome {
  if (permission === null) return 'allowed';
  const permissions = 'role' in grant ? ROLE_PERMISSIONS[grant.role] : KEY_SCOPE_PERMISSIONS[grant.scope];
  return permissions.includes(permission) ? 'allowed' : 'refused';
}

const tenantPaths = () => Object.keys(CASES).filter((path) => CASES[path]!.call !== 'public');

/** Every tenant procedure's outcome for this caller, against what the matrix says for `grant`. */
async function outcomes(headers: Record<string, string>, grant: Grant) {
  const seen: Record<string, Outcome> = {};
  const wanted: Record<string, Outcome> = {};
  for (const path of tenantPaths()) {
    seen[path] = await outcomeOf(headers, path);
    wanted[path] = expected(grant, permissionOf(path));
  }
  return { seen, wanted };
}

describe('permission matrix', () => {
  it('has a case for every tRPC procedure, and no case for one that is gone', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  it('public procedures need no permission, and every tenant procedure names one (but whoAmI and the server version)', () => {
    const withoutPermission = Object.keys(CASES).filter((path) => permissionOf(path) === null);
    const publicOnes = Object.keys(CASES).filter((path) => CASES[path]!.call === 'public');
    expect(withoutPermission.filter((path) => !publicOnes.includes(path)).sort()).toEqual(['auth.whoAmI', 'system.info']);
  });

  it.each(ROLES)('a %s gets exactly what the matrix gives, in their own tenant', async (role) => {
    const { seen, wanted } = await outcomes({ cookie: await sessionOf(role) }, { role });
    expect(seen).toEqual(wanted);
    // members.leave took non-owners out (the last owner cannot leave): put them back for the next test.
    await runtime.prisma.membership.upsert({
      where: { tenantId_userId: { tenantId: own.id, userId: people.get(role)!.userId } },
      create: { tenantId: own.id, userId: people.get(role)!.userId, role },
      update: {},
    });
  });

  it.each(ROLES)("a %s of one tenant who is a viewer of another gets a viewer's rights there, and changes nothing in their own", async (role) => {
    const cookie = await sessionOf(role);
    const switched = await callerWith({ cookie }).auth.switchTenant({ tenantId: other.id });
    expect(switched.tenant.id).toBe(other.id);
    const since = new Date();
    const { seen, wanted } = await outcomes({ cookie }, { role: 'viewer' });
    expect(seen).toEqual(wanted);
    // Whatever the viewer's calls changed was written to the other tenant's audit log, never to their own's.
    await expect
      .poll(() => runtime.prisma.auditEntry.count({ where: { tenantId: other.id, at: { gte: since }, actor: people.get(role)!.email } }))
      .toBeGreaterThan(0);
    expect(await runtime.prisma.auditEntry.count({ where: { tenantId: own.id, at: { gte: since } } })).toBe(0);
    await runtime.prisma.membership.upsert({
      where: { tenantId_userId: { tenantId: other.id, userId: people.get(role)!.userId } },
      create: { tenantId: other.id, userId: people.get(role)!.userId, role: 'viewer' },
      update: {},
    });
  });

  it('a person cannot switch to a tenant they are not a member of', async () => {
    const stranger = await createTestTenant(runtime, 'matrix-stranger');
    const cookie = await sessionOf('owner');
    await expect(callerWith({ cookie }).auth.switchTenant({ tenantId: stranger.id })).rejects.toMatchObject({ cause: { code: 'NOT_FOUND' } });
    expect((await callerWith({ cookie }).auth.whoAmI()).tenant.id).toBe(own.id);
  });

  it.each(['ingest', 'read', 'admin'] as const)('an API key of scope %s gets exactly what the matrix gives', async (scope) => {
    const { seen, wanted } = await outcomes({ authorization: `Bearer ${own.keys[scope]}` }, { scope });
    expect(seen).toEqual(wanted);
  });
});
