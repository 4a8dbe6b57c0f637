import { ZChangeRoleRequest, ZRemoveMemberRequest } from '@pulse/shared/members';
import { ZRole } from '@pulse/shared/roles';
import { z } from 'zod';
import { membersProcedure, readProcedure } from '../../trpc/trpc.ts';

export const changeRole = membersProcedure
  .input(ZChangeRoleRequest)
  .output(z.object({ userId: z.number().int(), role: ZRole, previousRole: ZRole }))
  .mutation(({ ctx, input }) => ctx.services.members.changeRole(ctx.principal, input.userId, input.role));

export const removeMember = membersProcedure
  .input(ZRemoveMemberRequest)
  .output(z.object({ userId: z.number().int(), role: ZRole }))
  .mutation(({ ctx, input }) => ctx.services.members.remove(ctx.principal, input.userId));

/** Any member may leave the tenant they are in (but its last owner). */
export const leaveTenant = readProcedure
  .output(z.object({ userId: z.number().int(), role: ZRole }))
  .mutation(({ ctx }) => ctx.services.members.leave(ctx.principal));
