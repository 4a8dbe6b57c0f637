import { ZDeleteGoalRequest, ZDeleteGoalResponse } from '@pulse/shared/goals';
import { adminProcedure } from '../../trpc/trpc.ts';

export const deleteGoal = adminProcedure
  .input(ZDeleteGoalRequest)
  .output(ZDeleteGoalResponse)
  .mutation(({ ctx, input }) => ctx.services.goals.delete(ctx.principal.tenant.id, input.id));
