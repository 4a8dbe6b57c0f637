import { useDebouncedValue } from '@mantine/hooks';
import type { TSummaryRequest } from '@pulse/shared/analytics';
import type { TCohortPeriod, TRetentionRequest } from '@pulse/shared/cohorts';
import type { TEventMatch } from '@pulse/shared/event-match';
import type { TFilters } from '@pulse/shared/filters';
import { isCompleteMatch } from '../components/funnel-match-input.tsx';
import { trpc } from '../lib/trpc.ts';

/** Typing an event name or path asks once the typing pauses, not at every key. */
const TYPING_PAUSE_MS = 400;

export interface TRetentionChoice {
  period: TCohortPeriod;
  timeZone: string;
  /** Possibly incomplete while typed: then any event counts. */
  cohortEvent: TEventMatch;
  returnEvent: TEventMatch;
  /** Conditions every event of the question meets. */
  filters: TFilters;
}

/** The request the Retention page makes; the CSV download asks the same. An incomplete match is left out: any event. */
export function retentionRequestOf(range: TSummaryRequest, choice: TRetentionChoice): TRetentionRequest {
  return {
    ...range,
    period: choice.period,
    timeZone: choice.timeZone,
    ...(isCompleteMatch(choice.cohortEvent) ? { cohortEvent: choice.cohortEvent } : {}),
    ...(isCompleteMatch(choice.returnEvent) ? { returnEvent: choice.returnEvent } : {}),
    ...(choice.filters.length > 0 ? { filters: choice.filters } : {}),
  };
}

/**
 * The retention triangle for the range and choice, and the request it answers. While the next answer loads
 * (a minute passing), the last one stays only for the same question: another question's numbers would pass
 * for this one's.
 */
export function useRetention(range: TSummaryRequest, choiceKey: string, choice: TRetentionChoice) {
  const [cohortEvent] = useDebouncedValue(choice.cohortEvent, TYPING_PAUSE_MS);
  const [returnEvent] = useDebouncedValue(choice.returnEvent, TYPING_PAUSE_MS);
  const request = retentionRequestOf(range, { ...choice, cohortEvent, returnEvent });
  const { from: _from, to: _to, ...question } = request;
  const viewKey = `${choiceKey}#${JSON.stringify(question)}`;
  const answer = trpc.analytics.retention.useQuery(request, {
    meta: { viewKey },
    placeholderData: (previous, previousQuery) => (previousQuery?.meta?.viewKey === viewKey ? previous : undefined),
  });
  return { answer, request };
}
