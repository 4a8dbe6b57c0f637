import { Anchor, Input, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import type { TGoal } from '@pulse/shared/goals';
import type { TAlertRuleDraft, TMetricChoice } from '../lib/alert-rules.ts';
import { filterListChanges } from '../lib/filter-list-changes.ts';
import { hrefFor } from '../lib/routes.ts';
import { useOverviewRange } from '../stores/overview-store.ts';
import { FilterBar } from './filter-bar.tsx';

interface AlertMetricFieldsProps {
  draft: TAlertRuleDraft;
  onChange: (fields: Partial<TAlertRuleDraft>) => void;
  /** The tenant's goals; undefined while they load. */
  goals: TGoal[] | undefined;
}

const METRICS: { value: TMetricChoice; label: string }[] = [
  { value: 'named', label: 'Events named…' },
  { value: 'all', label: 'Every event' },
  { value: 'goal', label: "A goal's conversions" },
  { value: 'visitors', label: 'Visitors' },
];

/** What a rule counts: events (of one name or all, optionally filtered), a goal's conversions, or visitors. */
export function AlertMetricFields({ draft, onChange, goals }: AlertMetricFieldsProps) {
  // Filter values are suggested from the range the Overview shows.
  const { range } = useOverviewRange();
  // Nothing to ask the API first: the server checks the filters with the rule.
  const filterChanges = filterListChanges(
    draft.filters,
    () => Promise.resolve(),
    (filters) => onChange({ filters }),
  );
  const counted = draft.metric === 'named' || draft.metric === 'all';
  return (
    <Input.Wrapper label="Counts">
      <Stack gap={4}>
        <SegmentedControl<TMetricChoice> data={METRICS} value={draft.metric} onChange={(metric) => onChange({ metric })} data-testid="alert-metric" />
        {draft.metric === 'named' ? (
          <TextInput
            aria-label="Event name"
            placeholder="signup"
            value={draft.eventName}
            onChange={(event) => onChange({ eventName: event.currentTarget.value })}
            data-testid="alert-event-name"
          />
        ) : null}
        {counted ? (
          <FilterBar
            range={range}
            filters={draft.filters}
            {...filterChanges}
            emptyText="Every such event counts: add a filter to count only those that meet it."
          />
        ) : null}
        {draft.metric === 'goal' ? <GoalSelect goalId={draft.goalId} goals={goals} onChange={(goalId) => onChange({ goalId })} /> : null}
      </Stack>
    </Input.Wrapper>
  );
}

function GoalSelect({ goalId, goals, onChange }: { goalId: string | null; goals: TGoal[] | undefined; onChange: (goalId: string | null) => void }) {
  if (goals?.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="alert-no-goals">
        No goals yet: define one on the <Anchor href={hrefFor('goals')}>Goals page</Anchor>, then count its conversions here.
      </Text>
    );
  const gone = goals !== undefined && goalId !== null && !goals.some((goal) => String(goal.id) === goalId);
  return (
    <Select
      aria-label="Goal"
      placeholder={goals ? 'Choose a goal' : 'Loading goals…'}
      data={(goals ?? []).map((goal) => ({ value: String(goal.id), label: goal.name }))}
      value={gone ? null : goalId}
      onChange={onChange}
      allowDeselect={false}
      error={gone ? `Goal ${goalId} was deleted: choose another.` : undefined}
      data-testid="alert-goal"
    />
  );
}
