import type { TMember } from '@pulse/shared/members';
import { mayAssignRole, ROLES, type TRole } from '@pulse/shared/roles';

export const ROLE_LABELS: Record<TRole, string> = { owner: 'Owner', admin: 'Admin', editor: 'Editor', viewer: 'Viewer' };

/** The roles `actor` may give (only owners make owners) as a Select's options, with `current` always among them so it shows. */
export function roleOptions(actor: TRole | null, current?: TRole): Array<{ value: TRole; label: string }> {
  return ROLES.filter((role) => role === current || (actor !== null && mayAssignRole(actor, role))).map((role) => ({ value: role, label: ROLE_LABELS[role] }));
}

/** Whether `actor` may change or remove `member` here: not themself (they leave instead), and an owner only if an owner. */
export function mayManageMember(actor: TRole | null, member: TMember): boolean {
  return !member.you && actor !== null && mayAssignRole(actor, member.role);
}
