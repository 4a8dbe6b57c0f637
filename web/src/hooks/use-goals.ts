import type { TSummaryRequest } from '@pulse/shared/analytics';
import { trpc } from '../lib/trpc.ts';

/** The tenant's goals (their definitions, oldest first). */
export function useGoalList() {
  return trpc.goals.list.useQuery();
}

/**
 * Every goal's conversions, visitors and rate over the range; the last answer stands in while a minute passing
 * loads the next, never across range choices.
 */
export function useGoalsReport(range: TSummaryRequest, choiceKey: string) {
  return trpc.analytics.goals.useQuery(range, {
    meta: { viewKey: choiceKey },
    placeholderData: (previous, previousQuery) => (previousQuery?.meta?.viewKey === choiceKey ? previous : undefined),
  });
}

/**
 * Creating, editing and deleting goals (admin keys only); each success asks for the list and the report again.
 * Errors are the caller's to show, where the change was asked for.
 */
export function useGoalChanges() {
  const utils = trpc.useUtils();
  const refresh = () => Promise.all([utils.goals.list.invalidate(), utils.analytics.goals.invalidate()]);
  const options = { onSuccess: refresh, meta: { errorShownInPlace: true } };
  return {
    create: trpc.goals.create.useMutation(options),
    update: trpc.goals.update.useMutation(options),
    remove: trpc.goals.delete.useMutation(options),
  };
}
