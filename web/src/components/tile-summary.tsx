import { SimpleGrid, Stack, Text } from '@mantine/core';
import type { TInsight } from '@pulse/shared/boards';
import { useSummaryTile } from '../hooks/use-boards.ts';
import { formatCount } from '../lib/format.ts';
import { TileQuery } from './tile-query.tsx';

function Kpi({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz={24} fw={700} truncate data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/** The range's headline numbers. */
export function SummaryTile({ insight }: { insight: TInsight }) {
  return (
    <TileQuery query={useSummaryTile(insight)}>
      {(summary) => (
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
          <Kpi label="Events" value={formatCount(summary.totalEvents)} testId="tile-total-events" />
          <Kpi label="Users" value={formatCount(summary.uniqueUsers)} testId="tile-unique-users" />
          <Kpi label="Sessions" value={formatCount(summary.sessions)} testId="tile-sessions" />
          <Kpi label="Top event" value={summary.byType[0]?.name ?? '—'} testId="tile-top-event" />
        </SimpleGrid>
      )}
    </TileQuery>
  );
}
