import { ZDeleteGoalRequest, ZDeleteGoalResponse } from '@pulse/shared/goals';
import { insightsProcedure } from '../../trpc/trpc.ts';

export const deleteGoal = insightsProcedure
  .input(ZDeleteGoalRequest)
  .output(ZDeleteGoalResponse)
  .mutation(({ ctx, input }) => ctx.services.goals.delete(ctx.principal.tenant.id, input.id));
