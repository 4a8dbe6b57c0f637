import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '@pulse/shared/roles';
import { routesFor } from './routes.ts';

describe('routesFor', () => {
  it('offers the members and audit pages only to those who may use them', () => {
    const paths = (role: 'owner' | 'viewer') => routesFor(ROLE_PERMISSIONS[role]).map((route) => route.path);
    expect(paths('owner')).toEqual(expect.arrayContaining(['overview', 'members', 'audit', 'settings']));
    expect(paths('viewer')).toContain('overview');
    expect(paths('viewer')).toContain('settings');
    expect(paths('viewer')).not.toContain('members');
    expect(paths('viewer')).not.toContain('audit');
  });
});
