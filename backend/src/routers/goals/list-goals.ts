import { ZGoalList } from '@pulse/shared/goals';
import { readProcedure } from '../../trpc/trpc.ts';

export const listGoals = readProcedure.output(ZGoalList).query(({ ctx }) => ctx.services.goals.list(ctx.principal.tenant.id));
