import { describe, expect, it } from 'vitest';
import { KEY_SCOPE_PERMISSIONS, ROLE_PERMISSIONS } from '@pulse/shared/roles';
import type { TWhoAmI } from '@pulse/shared/system';
import { permissionCheck } from './permissions.ts';

const tenant = { id: 1, slug: 'acme', name: 'Acme Inc.', plan: 'pro' };
const person = (role: 'owner' | 'viewer'): TWhoAmI => ({ tenant, scope: null, role, user: { email: 'a@b.test' }, permissions: [...ROLE_PERMISSIONS[role]] });
const key = (scope: 'read' | 'admin'): TWhoAmI => ({ tenant, scope, role: null, user: null, permissions: [...KEY_SCOPE_PERMISSIONS[scope]] });

describe('permissionCheck', () => {
  it('allows what the caller holds', () => {
    expect(permissionCheck(person('owner'), 'managePlan')).toEqual({ allowed: true, needs: null, whyNot: null });
    expect(permissionCheck(key('admin'), 'manageKeys').allowed).toBe(true);
  });

  it('tells a person which roles may', () => {
    expect(permissionCheck(person('viewer'), 'editInsights')).toEqual({
      allowed: false,
      needs: 'the owner, admin or editor role',
      whyNot:
        'You are a viewer of Acme Inc.: to create, change and delete boards, goals, alert rules and their webhooks needs the owner, admin or editor role.',
    });
  });

  it('tells a key which scopes may, or that only a person may', () => {
    expect(permissionCheck(key('read'), 'manageKeys').whyNot).toBe('You are signed in with a read key: to create and revoke API keys needs an admin key.');
    expect(permissionCheck(key('read'), 'ingest').needs).toBe('an ingest or admin key');
    expect(permissionCheck(key('admin'), 'manageMembers').needs).toBe('a person signed in with the owner or admin role');
  });

  it('allows nothing while who is signed in is not known', () => {
    expect(permissionCheck(undefined, 'read')).toEqual({ allowed: false, needs: null, whyNot: null });
  });
});
