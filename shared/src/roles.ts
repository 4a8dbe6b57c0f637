import { z } from 'zod';
import type { TApiKeyScope } from './auth.ts';

/** A member's role in a tenant, from most to least trusted. */
export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export const ZRole = z
  .enum(ROLES)
  .describe('owner: everything, plan included; admin: keys, members, retention; editor: boards, goals and alert rules; viewer: reads.');
export type TRole = z.infer<typeof ZRole>;

/** What a caller may do in a tenant. Every procedure needs exactly one of these (its `permission` meta). */
export const PERMISSIONS = [
  'read',
  'ingest',
  'editInsights',
  'runScenarios',
  'injectFaults',
  'manageKeys',
  'manageMembers',
  'manageRetention',
  'managePlan',
  'viewAudit',
] as const;
export const ZPermission = z.enum(PERMISSIONS);
export type TPermission = z.infer<typeof ZPermission>;

/** What each permission covers, as the dashboard and docs/ROLES say it. */
export const PERMISSION_LABELS: Record<TPermission, string> = {
  read: 'see dashboards, events, boards, goals and alert rules',
  ingest: 'send events',
  editInsights: 'create, change and delete boards, goals, alert rules and their webhooks',
  runScenarios: 'run load scenarios',
  injectFaults: 'inject faults (when the server allows it)',
  manageKeys: 'create and revoke API keys',
  manageMembers: 'invite members, change their roles, remove them',
  manageRetention: "set the tenant's data retention",
  managePlan: "change the tenant's plan",
  viewAudit: 'read the audit log',
};

/** An admin does everything but change the plan. */
const ADMIN: readonly TPermission[] = PERMISSIONS.filter((permission) => permission !== 'managePlan');

/** The permission matrix of members: who reads, who changes boards and goals, who manages keys, members, plan. */
export const ROLE_PERMISSIONS: Record<TRole, readonly TPermission[]> = {
  owner: PERMISSIONS,
  admin: ADMIN,
  editor: ['read', 'editInsights'],
  viewer: ['read'],
};

/**
 * API keys are for SDKs and servers: they act as themselves, never as a person, so none manages members or the
 * plan. An admin key does everything else an Admin does.
 */
export const KEY_SCOPE_PERMISSIONS: Record<TApiKeyScope, readonly TPermission[]> = {
  ingest: ['ingest'],
  read: ['read'],
  admin: ADMIN.filter((permission) => permission !== 'manageMembers'),
};

/** The roles that hold `permission`, most trusted first. */
export function rolesWith(permission: TPermission): TRole[] {
  return ROLES.filter((role) => ROLE_PERMISSIONS[role].includes(permission));
}

/** The key scopes that hold `permission` (none: only people may). */
export function scopesWith(permission: TPermission): TApiKeyScope[] {
  return (Object.keys(KEY_SCOPE_PERMISSIONS) as TApiKeyScope[]).filter((scope) => KEY_SCOPE_PERMISSIONS[scope].includes(permission));
}

/** Whether a role may give or take `role`: only owners make or unmake owners. */
export function mayAssignRole(actor: TRole, role: TRole): boolean {
  return role !== 'owner' || actor === 'owner';
}
