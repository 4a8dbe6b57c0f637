import type { TApiKeyScope } from '@pulse/shared/auth';
import { KEY_SCOPE_PERMISSIONS, PERMISSION_LABELS, ROLE_PERMISSIONS, rolesWith, scopesWith, type TPermission, type TRole } from '@pulse/shared/roles';
import { AppError } from '../errors/app-error.ts';

export interface PrincipalTenant {
  id: number;
  slug: string;
  name: string;
  plan: string;
}

/** An SDK or server calling with an API key: it acts as the key, never as a person. */
export interface KeyPrincipal {
  keyId: number;
  scope: TApiKeyScope;
  tenant: PrincipalTenant;
}

/** A person signed in to the dashboard, acting in one of their tenants with their role there. */
export interface MemberPrincipal {
  userId: number;
  email: string;
  role: TRole;
  tenant: PrincipalTenant;
}

/** Who is calling: always derived from an API key or a session cookie, never from a header the caller can set. */
export type Principal = KeyPrincipal | MemberPrincipal;

export function isMember(principal: Principal): principal is MemberPrincipal {
  return 'userId' in principal;
}

export function permissionsOf(principal: Principal): readonly TPermission[] {
  return isMember(principal) ? ROLE_PERMISSIONS[principal.role] : KEY_SCOPE_PERMISSIONS[principal.scope];
}

/** Throws FORBIDDEN, saying who may, unless the caller holds `permission`. */
export function assertPermission(principal: Principal, permission: TPermission): void {
  if (permissionsOf(principal).includes(permission)) return;
  const action = PERMISSION_LABELS[permission];
  if (isMember(principal)) {
    const roles = rolesWith(permission).map((role) => `${article(role)} ${role}`);
    throw new AppError(
      'FORBIDDEN',
      `you are ${article(principal.role)} ${principal.role} of ${principal.tenant.name}; only ${roles.join(' or ')} may ${action}`,
    );
  }
  const scopes = scopesWith(permission).map((scope) => `"${scope}"`);
  const who = scopes.length > 0 ? `a key with scope ${scopes.join(' or ')} (or a person with the right role)` : 'a person signed in with the right role';
  throw new AppError('FORBIDDEN', `this key has the "${principal.scope}" scope; only ${who} may ${action}`);
}

/** How the audit log names the caller. */
export function actorOf(principal: Principal): { kind: 'user' | 'key'; name: string } {
  return isMember(principal) ? { kind: 'user', name: principal.email } : { kind: 'key', name: `key #${principal.keyId} (${principal.scope})` };
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
