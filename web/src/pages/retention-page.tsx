import { Group, Paper, SegmentedControl, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { COHORT_PERIODS, type TCohortPeriod } from '@pulse/shared/cohorts';
import type { TEventMatch } from '@pulse/shared/event-match';
import type { TFilters } from '@pulse/shared/filters';
import { CsvDownloadButton } from '../components/csv-download-button.tsx';
import { DegradedBadge } from '../components/degraded-badge.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { FilterBar } from '../components/filter-bar.tsx';
import { FunnelRangePicker } from '../components/funnel-range-picker.tsx';
import { MatchInput } from '../components/funnel-match-input.tsx';
import { RetentionTable } from '../components/retention-table.tsx';
import { useCatalog } from '../hooks/use-overview-data.ts';
import { retentionRequestOf, useRetention } from '../hooks/use-retention.ts';
import { filterListChanges } from '../lib/filter-list-changes.ts';
import { trpc } from '../lib/trpc.ts';
import { useOverviewRange, useOverviewStore } from '../stores/overview-store.ts';

const PERIOD_CHOICES = COHORT_PERIODS.map((period) => ({ value: period, label: `By ${period}` }));
const ANY_EVENT: TEventMatch = { kind: 'event', name: '' };

export function RetentionPage() {
  const { range, choiceKey } = useOverviewRange();
  // The Overview's zone (the browser's unless chosen there): the same days on every page.
  const timeZone = useOverviewStore((state) => state.timeZone);
  const [period, setPeriod] = useState<TCohortPeriod>('week');
  const [cohortEvent, setCohortEvent] = useState<TEventMatch>(ANY_EVENT);
  const [returnEvent, setReturnEvent] = useState<TEventMatch>(ANY_EVENT);
  const [filters, setFilters] = useState<TFilters>([]);
  const choice = { period, timeZone, cohortEvent, returnEvent, filters };
  const { answer, request } = useRetention(range, choiceKey, choice);
  const utils = trpc.useUtils();
  const filterChanges = filterListChanges(
    filters,
    (next) => utils.analytics.retention.fetch(retentionRequestOf(range, { ...choice, filters: next })),
    setFilters,
  );
  const catalog = useCatalog(range, true);
  const eventNames = catalog.data?.eventNames.map((event) => event.name) ?? [];
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <Group>
          <Title order={2}>Retention</Title>
          <DegradedBadge degraded={answer.data?.degraded} />
        </Group>
        <FunnelRangePicker />
      </Group>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group gap="sm">
            <SegmentedControl<TCohortPeriod> data={PERIOD_CHOICES} value={period} onChange={setPeriod} data-testid="retention-period" />
            <Text size="sm" c="dimmed">
              Periods start at midnight in {timeZone}.
            </Text>
          </Group>
          <Group gap="sm">
            <Text size="sm" w={200}>
              A visitor&apos;s cohort: their first
            </Text>
            <MatchInput value={cohortEvent} onChange={setCohortEvent} eventNames={eventNames} range={range} label="Cohort" testId="retention-cohort-event" />
          </Group>
          <Group gap="sm">
            <Text size="sm" w={200}>
              They came back if they did
            </Text>
            <MatchInput value={returnEvent} onChange={setReturnEvent} eventNames={eventNames} range={range} label="Return" testId="retention-return-event" />
          </Group>
          <Text size="xs" c="dimmed">
            No event or page named: any event counts.
          </Text>
          <FilterBar
            range={range}
            filters={filters}
            {...filterChanges}
            emptyText="Every visitor counts: add a filter to count only the events that meet it, for cohorts and returns alike."
          />
        </Stack>
      </Paper>
      <Paper withBorder p="md" data-testid="retention-result">
        <Group justify="space-between" mb="sm">
          <Title order={4}>Share of each cohort that came back</Title>
          <CsvDownloadButton procedure="analytics.retention" input={request} testId="retention-csv" />
        </Group>
        <RetentionResult answer={answer} />
      </Paper>
    </Stack>
  );
}

function RetentionResult({ answer }: { answer: ReturnType<typeof useRetention>['answer'] }) {
  const { data } = answer;
  // A refused question (too many cohorts for the period) is told here, where its table would be.
  if (answer.isError && !data) return <ErrorAlert error={answer.error} onRetry={() => void answer.refetch()} />;
  if (!data) return <Skeleton height={240} data-testid="retention-loading" />;
  return (
    <Stack gap="sm">
      {data.periods.every((cohort) => cohort.size === 0) ? (
        <Text c="dimmed" data-testid="retention-empty">
          No visitor did the cohort event in this range: choose a longer range, or another event.
        </Text>
      ) : null}
      <RetentionTable answer={data} />
    </Stack>
  );
}
