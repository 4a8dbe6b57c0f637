import { Group, Paper, SegmentedControl, SimpleGrid, Skeleton, Stack, Title } from '@mantine/core';
import { EventTypeTable } from '../components/event-type-table.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { KpiCard } from '../components/kpi-card.tsx';
import { useSummary } from '../hooks/use-summary.ts';
import { DATE_PRESETS, type TDatePreset } from '../lib/date-presets.ts';
import { formatCount } from '../lib/format.ts';
import { useOverviewPreset, useSetOverviewPreset } from '../stores/overview-store.ts';

export function OverviewPage() {
  const preset = useOverviewPreset();
  const setPreset = useSetOverviewPreset();
  const summary = useSummary(preset);
  const data = summary.data;
  const topEvent = data?.byType[0];

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="center">
        <Title order={2}>Overview</Title>
        <SegmentedControl<TDatePreset> data={[...DATE_PRESETS]} value={preset} onChange={setPreset} />
      </Group>
      {summary.isError ? (
        <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }}>
            <KpiCard label="Total events" testId="kpi-total-events" value={data && formatCount(data.totalEvents)} />
            <KpiCard label="Unique users" testId="kpi-unique-users" value={data && formatCount(data.uniqueUsers)} />
            <KpiCard label="Sessions" testId="kpi-sessions" value={data && formatCount(data.sessions)} />
            <KpiCard
              label="Top event"
              testId="kpi-top-event"
              value={data && (topEvent?.name ?? '—')}
              caption={topEvent && `${formatCount(topEvent.count)} events`}
            />
          </SimpleGrid>
          <Paper withBorder p="md">
            <Title order={4} mb="sm">
              Events by type
            </Title>
            {data ? (
              <EventTypeTable byType={data.byType} totalEvents={data.totalEvents} />
            ) : (
              <Skeleton height={160} />
            )}
          </Paper>
        </>
      )}
    </Stack>
  );
}
