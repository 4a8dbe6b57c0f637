import { ZWhoAmI, type TWhoAmI } from '@pulse/shared/system';
import type { Principal } from '../../services/api-key-service.ts';
import { tenantProcedure } from '../../trpc/trpc.ts';

/** What the caller is told of a principal: its tenant and scope, never its key id. */
export const toWhoAmI = ({ tenant, scope }: Principal): TWhoAmI => ({ tenant, scope });

export const whoAmI = tenantProcedure.output(ZWhoAmI).query(({ ctx }) => toWhoAmI(ctx.principal));
