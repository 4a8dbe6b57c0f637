import { Group, Paper, SegmentedControl, Select, SimpleGrid, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { TTotals } from '@pulse/shared/analytics';
import { DegradedBadge } from '../components/degraded-badge.tsx';
import { EventTypeTable } from '../components/event-type-table.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { KpiCard } from '../components/kpi-card.tsx';
import { OverviewBreakdowns } from '../components/overview-breakdowns.tsx';
import { TimeseriesChart } from '../components/timeseries-chart.tsx';
import { useLiveRefresh, useTimeseries, useTopPages } from '../hooks/use-overview-data.ts';
import { useSummary } from '../hooks/use-summary.ts';
import { DATE_PRESETS, type TDatePreset } from '../lib/date-presets.ts';
import { formatCount } from '../lib/format.ts';
import { useOverviewRange, useOverviewStore, useSetOverviewPreset, type TGranularityChoice } from '../stores/overview-store.ts';

const GRANULARITIES: Array<{ value: TGranularityChoice; label: string }> = [
  { value: 'auto', label: 'Auto' },
  { value: 'hour', label: 'By hour' },
  { value: 'day', label: 'By day' },
  { value: 'week', label: 'By week' },
];
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
  const { preset, range, choiceKey } = useOverviewRange();
  const setPreset = useSetOverviewPreset();
  const custom = useOverviewStore((state) => state.custom);
  const setCustom = useOverviewStore((state) => state.setCustom);
  const summary = useSummary(range, choiceKey);
  const granularity = useOverviewStore((state) => state.granularity);
  const setGranularity = useOverviewStore((state) => state.setGranularity);
  const timeZone = useOverviewStore((state) => state.timeZone);
  const setTimeZone = useOverviewStore((state) => state.setTimeZone);
  const timeseries = useTimeseries(range, granularity, timeZone);
  const topPages = useTopPages(range);
  useLiveRefresh();
  const data = summary.data;
  const topEvent = data?.byType[0];
  const caption = (field: keyof TTotals) => data && change(data[field], data.previous[field], preset);

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
        <Group justify="flex-end" gap="xs">
          <TextInput
            type="date"
            label="First day"
            value={custom.firstDay}
            onChange={(change) => change.currentTarget.value && setCustom({ firstDay: change.currentTarget.value })}
            data-testid="overview-first-day"
          />
          <TextInput
            type="date"
            label="Last day"
            value={custom.lastDay}
            onChange={(change) => change.currentTarget.value && setCustom({ lastDay: change.currentTarget.value })}
            data-testid="overview-last-day"
          />
        </Group>
      ) : null}
      {summary.isError ? (
        <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <>
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
          <Paper withBorder p="md">
            <Group justify="space-between" mb="sm">
              <Title order={4}>
                Events over time{' '}
                {timeseries.data ? (
                  <Text span c="dimmed" size="sm">
                    by {timeseries.data.granularity}, {timeseries.data.timeZone}
                  </Text>
                ) : null}
              </Title>
              <Group gap="xs">
                <Select
                  size="xs"
                  w={120}
                  data={GRANULARITIES}
                  value={granularity}
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
              <Title order={4} mb="sm">
                Events by type
              </Title>
              {data ? <EventTypeTable byType={data.byType} totalEvents={data.totalEvents} /> : <Skeleton height={160} />}
            </Paper>
            <Paper withBorder p="md">
              <Title order={4} mb="sm">
                Top pages
              </Title>
              {topPages.data ? (
                topPages.data.pages.length === 0 ? (
                  <Text c="dimmed">No page views in this range.</Text>
                ) : (
                  <Table>
                    <Table.Tbody>
                      {topPages.data.pages.map((page) => (
                        <Table.Tr key={page.path}>
                          <Table.Td>{page.path}</Table.Td>
                          <Table.Td ta="right" data-testid={`top-page-${page.path}`}>
                            {formatCount(page.views)}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )
              ) : (
                <Skeleton height={160} />
              )}
            </Paper>
          </SimpleGrid>
          <OverviewBreakdowns range={range} totalEvents={data?.totalEvents} />
        </>
      )}
    </Stack>
  );
}
