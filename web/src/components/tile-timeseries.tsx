import { Text } from '@mantine/core';
import type { TInsight } from '@pulse/shared/boards';
import { useTimeseriesTile } from '../hooks/use-boards.ts';
import { formatCount } from '../lib/format.ts';
import { TileQuery } from './tile-query.tsx';
import { TimeseriesChart } from './timeseries-chart.tsx';

/** Events over time, as the Overview charts them, with their sum. */
export function TimeseriesTile({ insight }: { insight: TInsight }) {
  return (
    <TileQuery query={useTimeseriesTile(insight)}>
      {(series) => (
        <>
          <Text size="sm" c="dimmed">
            <span data-testid="tile-series-total">{formatCount(series.points.reduce((sum, point) => sum + point.count, 0))}</span> events, by{' '}
            {series.granularity} ({series.timeZone})
          </Text>
          <TimeseriesChart series={series} />
        </>
      )}
    </TileQuery>
  );
}
