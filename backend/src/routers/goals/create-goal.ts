import { ZCreateGoalRequest, ZGoal } from '@pulse/shared/goals';
import { adminProcedure } from '../../trpc/trpc.ts';

export const createGoal = adminProcedure
  .input(ZCreateGoalRequest)
  .output(ZGoal)
  .mutation(({ ctx, input }) => ctx.services.goals.create(ctx.principal.tenant.id, input));
