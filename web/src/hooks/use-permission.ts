import type { TPermission } from '@pulse/shared/roles';
import { permissionCheck, type TPermissionCheck } from '../lib/permissions.ts';
import { useWhoAmI } from './use-who-am-i.ts';

/** Whether the signed-in key or person may do `permission` here, as `auth.whoAmI` says; the server checks again. */
export function usePermission(permission: TPermission): TPermissionCheck {
  return permissionCheck(useWhoAmI().data, permission);
}
