import { router } from '../../trpc/trpc.ts';
import { createGoal } from './create-goal.ts';
import { deleteGoal } from './delete-goal.ts';
import { listGoals } from './list-goals.ts';
import { updateGoal } from './update-goal.ts';

export const goalsRouter = router({
  list: listGoals,
  create: createGoal,
  update: updateGoal,
  delete: deleteGoal,
});
