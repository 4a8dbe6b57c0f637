import { ZGoal, ZUpdateGoalRequest } from '@pulse/shared/goals';
import { adminProcedure } from '../../trpc/trpc.ts';

export const updateGoal = adminProcedure
  .input(ZUpdateGoalRequest)
  .output(ZGoal)
  .mutation(({ ctx, input }) => ctx.services.goals.update(ctx.principal.tenant.id, input));
