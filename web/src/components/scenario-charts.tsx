import { SimpleGrid } from '@mantine/core';
import { memo } from 'react';
import type { TScenarioMark, TScenarioSample } from '@pulse/shared/scenarios';
import { chartRowsOf, statusSeriesKey, statusesOf } from '../lib/scenario-series.ts';
import { BreakerTimeline } from './breaker-timeline.tsx';
import { MetricChart, type TChartSeries } from './metric-chart.tsx';

const STATUS_PALETTE: Record<string, string[]> = {
  '2': ['green', 'teal', 'lime'],
  '3': ['cyan'],
  '4': ['yellow', 'orange', 'grape'],
  '5': ['red', 'pink', 'violet'],
};

/** Answers by status: successes green, refusals yellow, server errors red, no answer at all gray. */
function statusSeries(statuses: string[]): TChartSeries[] {
  const usedPerClass = new Map<string, number>();
  return statuses.map((status) => {
    const palette = STATUS_PALETTE[status.charAt(0)];
    if (!palette) return { key: statusSeriesKey(status), label: status === 'failed' ? 'no answer' : status, color: 'gray' };
    const used = usedPerClass.get(status.charAt(0)) ?? 0;
    usedPerClass.set(status.charAt(0), used + 1);
    return { key: statusSeriesKey(status), label: status, color: palette[used % palette.length]! };
  });
}

interface ScenarioChartsProps {
  samples: TScenarioSample[];
  marks: TScenarioMark[];
}

// Six charts of up to 600 points: memo keeps typing in the knob form from redrawing them all.
export const ScenarioCharts = memo(function ScenarioCharts({ samples, marks }: ScenarioChartsProps) {
  const rows = chartRowsOf(samples);
  const hasSpool = samples.some((sample) => sample.server.spoolDepth !== null);
  return (
    <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
      <MetricChart
        title="Requests per second"
        rows={rows}
        series={[
          { key: 'scenarioPerSecond', label: 'scenario, answered', color: 'indigo' },
          { key: 'serverPerSecond', label: 'server, all', color: 'gray' },
        ]}
        testId="scenario-chart-requests"
      />
      <MetricChart
        title="Scenario latency"
        rows={rows}
        unit=" ms"
        series={[
          { key: 'p50', label: 'p50', color: 'teal' },
          { key: 'p95', label: 'p95', color: 'orange' },
          { key: 'p99', label: 'p99', color: 'red' },
        ]}
        testId="scenario-chart-latency"
      />
      <MetricChart title="Answers by status" rows={rows} series={statusSeries(statusesOf(samples))} stacked testId="scenario-chart-statuses" />
      <MetricChart
        title="Cache hit rate"
        rows={rows}
        unit="%"
        yDomain={[0, 100]}
        series={[{ key: 'cacheHitPercent', label: 'hit rate', color: 'grape' }]}
        testId="scenario-chart-cache"
      />
      <MetricChart
        title="Spool depth"
        rows={rows}
        series={[{ key: 'spoolDepth', label: 'waiting for PostgreSQL', color: 'cyan' }]}
        caption={hasSpool ? 'Requests spooled in Redis while PostgreSQL writes fail.' : 'No spool on this server (embedded mode has none).'}
        testId="scenario-chart-spool"
      />
      <BreakerTimeline samples={samples} marks={marks} />
    </SimpleGrid>
  );
});
