import { ZCreateGoalRequest, ZGoal } from '@pulse/shared/goals';
import { insightsProcedure } from '../../trpc/trpc.ts';

export const createGoal = insightsProcedure
  .input(ZCreateGoalRequest)
  .output(ZGoal)
  .mutation(({ ctx, input }) => ctx.services.goals.create(ctx.principal.tenant.id, input));
