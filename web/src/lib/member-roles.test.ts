import { describe, expect, it } from 'vitest';
import type { TMember } from '@pulse/shared/members';
import { mayManageMember, roleOptions } from './member-roles.ts';

const member = (role: TMember['role'], you = false): TMember => ({ userId: 1, email: 'm@x.test', role, joinedAt: '2026-01-01T00:00:00.000Z', you });

describe('roleOptions', () => {
  it('lets only an owner give the owner role', () => {
    expect(roleOptions('owner').map((option) => option.value)).toEqual(['owner', 'admin', 'editor', 'viewer']);
    expect(roleOptions('admin').map((option) => option.value)).toEqual(['admin', 'editor', 'viewer']);
  });

  it('keeps the current role among the options so it shows', () => {
    expect(roleOptions('admin', 'owner').map((option) => option.value)).toContain('owner');
  });
});

describe('mayManageMember', () => {
  it('never offers to change yourself, and owners only to owners', () => {
    expect(mayManageMember('owner', member('owner', true))).toBe(false);
    expect(mayManageMember('owner', member('owner'))).toBe(true);
    expect(mayManageMember('admin', member('owner'))).toBe(false);
    expect(mayManageMember('admin', member('viewer'))).toBe(true);
    expect(mayManageMember(null, member('viewer'))).toBe(false);
  });
});
