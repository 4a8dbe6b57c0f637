import { Group, Paper, SegmentedControl, Select, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { TTotals } from '@pulse/shared/analytics';
import { CustomDaysInput } from '../components/custom-days-input.tsx';
import { DegradedBadge } from '../components/degraded-badge.tsx';
import { EventTypeTable } from '../components/event-type-table.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { FilterBar } from '../components/filter-bar.tsx';
import { KpiCard } from '../components/kpi-card.tsx';
import { OverviewBreakdowns } from '../components/overview-breakdowns.tsx';
import { OverviewGoals } from '../components/overview-goals.tsx';
import { TimeseriesChart } from '../components/timeseries-chart.tsx';
import { TableCardHeader } from '../components/table-card-header.tsx';
import { TopPagesTable } from '../components/top-pages-table.tsx';
import { UsageCard } from '../components/usage-card.tsx';
import { topPagesInput, useLiveRefresh, useTimeseries, useTopPages } from '../hooks/use-overview-data.ts';
import { useFilterChanges, useFiltersFromAddress } from '../hooks/use-overview-filters.ts';
import { useCustomDaysCheck, useSummary, withFilters } from '../hooks/use-summary.ts';
import { useUsage } from '../hooks/use-usage.ts';
import { DATE_PRESETS, type TDatePreset } from '../lib/date-presets.ts';
import { formatCount } from '../lib/format.ts';
import {
  fitGranularityChoice,
  fittingGranularities,
  GRANULARITY_LABELS,
  rangeMsOf,
  resolveGranularity,
  type TGranularityChoice,
} from '../lib/granularity-options.ts';
import { useOverviewRange, useOverviewStore, useSetOverviewPreset } from '../stores/overview-store.ts';

const TIME_ZONES = [...new Set([Intl.DateTimeFormat().resolvedOptions().timeZone, 'UTC', ...Intl.supportedValuesOf('timeZone')])];

/** "+12% vs the previous 7 d", or why there is no percentage. */
function change(current: number, previous: number, preset: TDatePreset): string {
  const period =
    preset === 'today' ? 'yesterday' : preset === 'custom' ? 'the days before' : `the previous ${DATE_PRESETS.find((item) => item.value === preset)!.label}`;
  if (previous === 0) return current === 0 ? `none in ${period} either` : `none in ${period}`;
  const percent = Math.round(((current - previous) / previous) * 100);
  return `${percent >= 0 ? '+' : ''}${percent}% vs ${period}`;
}

export function OverviewPage() {
  useFiltersFromAddress();
  const { preset, range, choiceKey } = useOverviewRange();
  const setPreset = useSetOverviewPreset();
  const customDraft = useOverviewStore((state) => state.customDraft);
  const setCustomDraft = useOverviewStore((state) => state.setCustomDraft);
  const { filters, add, addFromRow, remove, clear } = useFilterChanges(range, choiceKey);
  const customCheck = useCustomDaysCheck(filters);
  const summary = useSummary(range, choiceKey, filters);
  const rangeMs = rangeMsOf(range);
  const storedGranularity = useOverviewStore((state) => state.granularity);
  // The store fits its choice to each range chosen; fitted again here, as "Today" grows.
  const granularityChoice = fitGranularityChoice(storedGranularity, rangeMs);
  const setGranularity = useOverviewStore((state) => state.setGranularity);
  const timeZone = useOverviewStore((state) => state.timeZone);
  const setTimeZone = useOverviewStore((state) => state.setTimeZone);
  const timeseries = useTimeseries(range, resolveGranularity(granularityChoice, rangeMs), timeZone, filters);
  const topPages = useTopPages(range, filters);
  const usage = useUsage();
  useLiveRefresh();
  const data = summary.data;
  const topEvent = data?.byType[0];
  const caption = (field: keyof TTotals) => data && change(data[field], data.previous[field], preset);
  const granularities: Array<{ value: TGranularityChoice; label: string }> = (['auto', ...fittingGranularities(rangeMs)] as const).map((value) => ({
    value,
    label: GRANULARITY_LABELS[value],
  }));

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="center">
        <Group>
          <Title order={2}>Overview</Title>
          <DegradedBadge degraded={data?.degraded ?? timeseries.data?.degraded} />
        </Group>
        <SegmentedControl<TDatePreset> data={[...DATE_PRESETS]} value={preset} onChange={setPreset} />
      </Group>
      {preset === 'custom' ? (
        <CustomDaysInput days={customDraft} onChange={setCustomDraft} refusal={customCheck.refusal} checking={customCheck.checking} />
      ) : null}
      <FilterBar range={range} filters={filters} onAdd={add} onRemove={remove} onClear={clear} />
      {summary.isError && !data ? (
        <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }}>
          <KpiCard label="Total events" testId="kpi-total-events" value={data && formatCount(data.totalEvents)} caption={caption('totalEvents')} />
          <KpiCard label="Unique users" testId="kpi-unique-users" value={data && formatCount(data.uniqueUsers)} caption={caption('uniqueUsers')} />
          <KpiCard label="Sessions" testId="kpi-sessions" value={data && formatCount(data.sessions)} caption={caption('sessions')} />
          <KpiCard
            label="Top event"
            testId="kpi-top-event"
            value={data && (topEvent?.name ?? '—')}
            caption={topEvent && `${formatCount(topEvent.count)} events`}
          />
        </SimpleGrid>
      )}
      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={4}>
            Events over time{' '}
            {timeseries.data ? (
              <Text span c="dimmed" size="sm">
                by {timeseries.data.granularity}, {timeseries.data.timeZone} ·{' '}
                <span data-testid="timeseries-total">{formatCount(timeseries.data.points.reduce((sum, point) => sum + point.count, 0))}</span> events
              </Text>
            ) : null}
          </Title>
          <Group gap="xs">
            <Select
              size="xs"
              w={120}
              data={granularities}
              value={granularityChoice}
              onChange={(value) => value && setGranularity(value as TGranularityChoice)}
              allowDeselect={false}
              data-testid="overview-granularity"
            />
            <Select
              size="xs"
              w={200}
              data={TIME_ZONES}
              value={timeZone}
              onChange={(value) => value && setTimeZone(value)}
              searchable
              allowDeselect={false}
              data-testid="overview-time-zone"
            />
          </Group>
        </Group>
        {timeseries.isError ? <ErrorAlert error={timeseries.error} onRetry={() => void timeseries.refetch()} /> : null}
        {timeseries.data ? <TimeseriesChart series={timeseries.data} /> : <Skeleton height={240} />}
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md">
          <TableCardHeader title="Events by type" csv={{ procedure: 'analytics.summary', input: withFilters(range, filters) }} csvTestId="event-types-csv" />
          {data ? (
            <EventTypeTable byType={data.byType} totalEvents={data.totalEvents} onFilter={addFromRow} />
          ) : summary.isError ? (
            <Text size="sm" c="dimmed">
              Not available: the summary above could not be loaded.
            </Text>
          ) : (
            <Skeleton height={160} />
          )}
        </Paper>
        <Paper withBorder p="md">
          <TableCardHeader title="Top pages" csv={{ procedure: 'analytics.topPages', input: topPagesInput(range, filters) }} csvTestId="top-pages-csv" />
          {topPages.isError && !topPages.data ? <ErrorAlert error={topPages.error} onRetry={() => void topPages.refetch()} /> : null}
          {topPages.data ? <TopPagesTable pages={topPages.data.pages} onFilter={addFromRow} /> : <Skeleton height={160} />}
        </Paper>
      </SimpleGrid>
      {usage.isError && !usage.data ? <ErrorAlert error={usage.error} onRetry={() => void usage.refetch()} /> : <UsageCard usage={usage.data} />}
      <OverviewGoals range={range} filters={filters} choiceKey={choiceKey} />
      <OverviewBreakdowns range={range} filters={filters} totalEvents={data?.totalEvents} onFilter={addFromRow} />
    </Stack>
  );
}
