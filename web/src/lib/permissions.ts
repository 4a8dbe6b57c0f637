import { PERMISSION_LABELS, rolesWith, scopesWith, type TPermission } from '@pulse/shared/roles';
import type { TWhoAmI } from '@pulse/shared/system';

export interface TPermissionCheck {
  /** Whether the caller may; false as well while who they are is not known yet. */
  allowed: boolean;
  /** Who may instead ("an admin key", "the owner or admin role"); null when allowed or not known. */
  needs: string | null;
  /** Why not, in a sentence the page can show; null when allowed or not known. */
  whyNot: string | null;
}

const orList = (words: string[]) => (words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`);
/** "a" or "an", as `word` starts. */
export const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** Whom the server lets do it: keys are told of key scopes, people of roles (shared/src/roles.ts). */
function neededFor(whoAmI: TWhoAmI, permission: TPermission): string {
  const roles = `the ${orList(rolesWith(permission))} role`;
  if (whoAmI.role !== null) return roles;
  const scopes = scopesWith(permission);
  return scopes.length === 0 ? `a person signed in with ${roles}` : `${article(scopes[0]!)} ${orList(scopes)} key`;
}

/** What `whoAmI` may do about `permission`, and when not, who may and why. */
export function permissionCheck(whoAmI: TWhoAmI | undefined, permission: TPermission): TPermissionCheck {
  if (!whoAmI) return { allowed: false, needs: null, whyNot: null };
  if (whoAmI.permissions.includes(permission)) return { allowed: true, needs: null, whyNot: null };
  const needs = neededFor(whoAmI, permission);
  const you =
    whoAmI.role !== null
      ? `You are ${article(whoAmI.role)} ${whoAmI.role} of ${whoAmI.tenant.name}`
      : `You are signed in with ${article(whoAmI.scope ?? '')} ${whoAmI.scope} key`;
  return { allowed: false, needs, whyNot: `${you}: to ${PERMISSION_LABELS[permission]} needs ${needs}.` };
}
