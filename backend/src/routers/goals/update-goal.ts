import { ZGoal, ZUpdateGoalRequest } from '@pulse/shared/goals';
import { insightsProcedure } from '../../trpc/trpc.ts';

export const updateGoal = insightsProcedure
  .input(ZUpdateGoalRequest)
  .output(ZGoal)
  .mutation(({ ctx, input }) => ctx.services.goals.update(ctx.principal.tenant.id, input));
