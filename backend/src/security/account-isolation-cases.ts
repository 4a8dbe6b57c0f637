import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Runtime } from '../runtime.ts';
import type { TestServer, TestTenant } from '../test/test-tenant.ts';
import { callTrpc } from '../test/trpc-http.ts';

/** What the tenant-isolation suite gives these cases: its server, its two tenants and its check for B's secrets. */
export interface IsolationContext {
  runtime: () => Runtime;
  server: () => TestServer;
  a: () => TestTenant;
  b: () => TestTenant;
  expectNothingOfB(answer: unknown): void;
}

interface Person {
  email: string;
  password: string;
  userId: number;
}

/**
 * People, members, invitations, the audit log and tenant settings: a person of tenant A, whatever they send,
 * reads and changes A alone. B's people, invitations and settings stay as they were and never show.
 */
export function accountIsolationCases(context: IsolationContext): Record<string, () => Promise<void>> {
  const marker = randomBytes(4).toString('hex');
  let people: Promise<{ aOwner: Person; bOwner: Person; bViewer: Person; bInvitationId: number }> | null = null;

  async function person(label: string, memberships: Array<{ tenant: TestTenant; role: 'owner' | 'viewer' }>): Promise<Person> {
    const email = `${label}-${marker}-${randomBytes(3).toString('hex')}@isolation.test`;
    const password = `password ${randomBytes(6).toString('hex')}`;
    const user = await context.runtime().services.users.create(email, password);
    await context.runtime().prisma.membership.createMany({ data: memberships.map(({ tenant, role }) => ({ tenantId: tenant.id, userId: user.id, role })) });
    return { email, password, userId: user.id };
  }
  /** A's owner, and B's owner and viewer (with `b-` in their emails), B's pending invitation, and changes in B's audit log. */
  const setUp = () =>
    (people ??= (async () => {
      const [aOwner, bOwner, bViewer] = [
        await person('a-owner', [{ tenant: context.a(), role: 'owner' }]),
        await person('b-owner', [{ tenant: context.b(), role: 'owner' }]),
        await person('b-viewer', [{ tenant: context.b(), role: 'viewer' }]),
      ];
      const bCookie = await cookieOf(bOwner);
      const invited = await call<{ id: number }>('members.invite', 'mutation', { role: 'viewer' }, bCookie);
      await call('tenant.setRetention', 'mutation', { retentionDays: 20 }, bCookie);
      return { aOwner, bOwner, bViewer, bInvitationId: invited.data!.id };
    })());

  const call = <T = unknown>(path: string, type: 'query' | 'mutation', input: unknown, cookie?: string) =>
    callTrpc<T>(
      context.server().url,
      path,
      type,
      input,
      cookie ? { cookie, 'x-tenant-id': String(context.b().id) } : { 'x-tenant-id': String(context.b().id) },
    );
  async function cookieOf(who: Person): Promise<string> {
    const answer = await callTrpc(context.server().url, 'auth.signInWithPassword', 'mutation', { email: who.email, password: who.password });
    expect(answer.status, answer.error?.message).toBe(200);
    return answer.headers.get('set-cookie')!.split(';')[0]!;
  }
  /** Nothing of B's people, nor of B itself. */
  const expectNothingOfBsPeople = (answer: unknown) => {
    context.expectNothingOfB(answer);
    expect(JSON.stringify(answer)).not.toContain(`b-owner-${marker}`);
    expect(JSON.stringify(answer)).not.toContain(`b-viewer-${marker}`);
  };
  async function bUnchanged(): Promise<void> {
    const { bOwner, bViewer, bInvitationId } = await setUp();
    const members = await context
      .runtime()
      .services.members.list({ ...bOwner, role: 'owner', tenant: { id: context.b().id, slug: '', name: '', plan: 'pro' } });
    expect(members.members.map((member) => [member.email, member.role])).toEqual([
      [bOwner.email, 'owner'],
      [bViewer.email, 'viewer'],
    ]);
    expect(members.invitations.map((invitation) => invitation.id)).toEqual([bInvitationId]);
    expect(await context.runtime().services.tenantSettings.get(context.b().id)).toMatchObject({ plan: 'pro', retentionDays: 20 });
    expect((await callTrpc(context.server().url, 'auth.signInWithPassword', 'mutation', { email: bOwner.email, password: bOwner.password })).status).toBe(200);
  }
  const asAOwner = async <T = unknown>(path: string, type: 'query' | 'mutation', input: unknown) =>
    call<T>(path, type, input, await cookieOf((await setUp()).aOwner));

  return {
    'auth.signInWithPassword': async () => {
      const { aOwner } = await setUp();
      const answer = await call<{ tenant: { id: number } }>('auth.signInWithPassword', 'mutation', {
        email: aOwner.email,
        password: aOwner.password,
        tenantId: context.b().id,
      });
      expect(answer.data!.tenant.id).toBe(context.a().id);
    },
    'auth.signInWithLink': async () => {
      const { aOwner } = await setUp();
      const { token } = await context.runtime().services.operator.signInLink(aOwner.email);
      const answer = await call<{ tenant: { id: number } }>('auth.signInWithLink', 'mutation', { token, tenantId: context.b().id });
      expect(answer.data!.tenant.id).toBe(context.a().id);
    },
    'auth.changePassword': async () => {
      const { aOwner } = await setUp();
      const changed = await asAOwner('auth.changePassword', 'mutation', {
        currentPassword: aOwner.password,
        newPassword: `${aOwner.password} new`,
        userId: (await setUp()).bOwner.userId,
      });
      expect(changed.status, changed.error?.message).toBe(200);
      aOwner.password = `${aOwner.password} new`;
      await bUnchanged();
    },
    'auth.signOutEverywhere': async () => {
      const { bOwner } = await setUp();
      const bCookie = await cookieOf(bOwner);
      expect((await asAOwner('auth.signOutEverywhere', 'mutation', undefined)).status).toBe(200);
      expect((await call('auth.whoAmI', 'query', undefined, bCookie)).status).toBe(200);
    },
    'members.list': async () => {
      const answer = await asAOwner<{ members: Array<{ email: string }> }>('members.list', 'query', undefined);
      expect(answer.data!.members.map((member) => member.email)).toEqual([(await setUp()).aOwner.email]);
      expectNothingOfBsPeople(answer.data);
    },
    'members.invite': async () => {
      const invited = await asAOwner<{ token: string }>('members.invite', 'mutation', { role: 'viewer', tenantId: context.b().id });
      const preview = await call<{ tenantName: string }>('invitations.preview', 'query', { token: invited.data!.token });
      expect(preview.data!.tenantName).toBe('Test iso-a');
      await bUnchanged();
    },
    'members.revokeInvitation': async () => {
      const answer = await asAOwner('members.revokeInvitation', 'mutation', { id: (await setUp()).bInvitationId });
      expect(answer.status).toBe(404);
      await bUnchanged();
    },
    'members.changeRole': async () => {
      const answer = await asAOwner('members.changeRole', 'mutation', { userId: (await setUp()).bViewer.userId, role: 'admin' });
      expect(answer.status).toBe(404);
      expectNothingOfBsPeople(answer.error);
      await bUnchanged();
    },
    'members.remove': async () => {
      const answer = await asAOwner('members.remove', 'mutation', { userId: (await setUp()).bOwner.userId });
      expect(answer.status).toBe(404);
      await bUnchanged();
    },
    'members.leave': async () => {
      // A person in both tenants leaves A: they stay B's.
      const both = await person('both', [
        { tenant: context.a(), role: 'viewer' },
        { tenant: context.b(), role: 'viewer' },
      ]);
      const cookie = await cookieOf(both);
      await call('auth.switchTenant', 'mutation', { tenantId: context.a().id }, cookie);
      expect((await call('members.leave', 'mutation', { tenantId: context.b().id }, cookie)).status).toBe(200);
      const tenants = await call<Array<{ tenantId: number }>>('auth.sessionTenants', 'query', undefined, cookie);
      expect(tenants.data!.map((entry) => entry.tenantId)).toEqual([context.b().id]);
      await context.runtime().prisma.membership.delete({ where: { tenantId_userId: { tenantId: context.b().id, userId: both.userId } } });
      await bUnchanged();
    },
    'invitations.preview': async () => {
      const invited = await asAOwner<{ token: string }>('members.invite', 'mutation', { role: 'editor' });
      const preview = await call('invitations.preview', 'query', { token: invited.data!.token });
      expectNothingOfBsPeople(preview.data);
    },
    'invitations.accept': async () => {
      // A member of B accepts A's invitation: they join A, and stay B's.
      const joiner = await person('joiner', [{ tenant: context.b(), role: 'viewer' }]);
      const invited = await asAOwner<{ token: string }>('members.invite', 'mutation', { role: 'viewer' });
      const accepted = await call<{ tenant: { id: number }; role: string }>('invitations.accept', 'mutation', {
        token: invited.data!.token,
        account: 'existing',
        email: joiner.email,
        password: joiner.password,
        tenantId: context.b().id,
      });
      expect(accepted.data).toMatchObject({ tenant: { id: context.a().id }, role: 'viewer' });
      expect(
        await context
          .runtime()
          .prisma.membership.findMany({ where: { userId: joiner.userId }, select: { tenantId: true, role: true }, orderBy: { tenantId: 'asc' } }),
      ).toEqual(
        [
          { tenantId: context.a().id, role: 'viewer' },
          { tenantId: context.b().id, role: 'viewer' },
        ].sort((x, y) => x.tenantId - y.tenantId),
      );
      await context.runtime().prisma.membership.delete({ where: { tenantId_userId: { tenantId: context.b().id, userId: joiner.userId } } });
      await bUnchanged();
    },
    'audit.list': async () => {
      await setUp();
      const answer = await asAOwner<{ entries: Array<{ action: string }> }>('audit.list', 'query', { limit: 200 });
      expect(answer.status, answer.error?.message).toBe(200);
      expectNothingOfBsPeople(answer.data);
      expect(answer.data!.entries.map((entry) => entry.action)).not.toContain('tenant.setRetention');
    },
    'tenant.settings': async () => {
      await setUp();
      const answer = await asAOwner<{ retentionDays: number }>('tenant.settings', 'query', undefined);
      expect(answer.data!.retentionDays).toBe(90);
    },
    'tenant.setRetention': async () => {
      const answer = await asAOwner<{ retentionDays: number }>('tenant.setRetention', 'mutation', { retentionDays: 45, tenantId: context.b().id });
      expect(answer.data!.retentionDays).toBe(45);
      await bUnchanged();
      await asAOwner('tenant.setRetention', 'mutation', { retentionDays: null });
    },
    'tenant.setPlan': async () => {
      const answer = await asAOwner<{ plan: string }>('tenant.setPlan', 'mutation', { plan: 'enterprise', tenantId: context.b().id });
      expect(answer.data!.plan).toBe('enterprise');
      await bUnchanged();
      await asAOwner('tenant.setPlan', 'mutation', { plan: 'pro' });
    },
  };
}
