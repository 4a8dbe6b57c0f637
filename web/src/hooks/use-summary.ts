import type { TSummaryRequest } from '@pulse/shared/analytics';
import { trpc } from '../lib/trpc.ts';

/** `choiceKey` names the chosen range: the old numbers stay while a minute passes, never across choices. */
export function useSummary(range: TSummaryRequest, choiceKey: string) {
  return trpc.analytics.summary.useQuery(range, {
    meta: { choiceKey },
    placeholderData: (previous, previousQuery) => (previousQuery?.meta?.choiceKey === choiceKey ? previous : undefined),
  });
}
