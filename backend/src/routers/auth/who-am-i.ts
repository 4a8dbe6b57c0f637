import { ZWhoAmI, type TWhoAmI } from '@pulse/shared/system';
import { isMember, permissionsOf, type Principal } from '../../services/principal.ts';
import { tenantProcedure } from '../../trpc/trpc.ts';

/** What the caller is told of a principal: its tenant, who it is and what it may do, never its key id. */
export function toWhoAmI(principal: Principal): TWhoAmI {
  const member = isMember(principal);
  return {
    tenant: principal.tenant,
    scope: member ? null : principal.scope,
    role: member ? principal.role : null,
    user: member ? { email: principal.email } : null,
    permissions: [...permissionsOf(principal)],
  };
}

export const whoAmI = tenantProcedure.output(ZWhoAmI).query(({ ctx }) => toWhoAmI(ctx.principal));
