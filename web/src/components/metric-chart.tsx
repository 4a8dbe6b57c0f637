import { Paper, Text } from '@mantine/core';
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TChartRow } from '../lib/scenario-series.ts';
import { formatMeasure } from '../lib/format.ts';

export interface TChartSeries {
  key: string;
  label: string;
  /** A Mantine color name. */
  color: string;
}

interface MetricChartProps {
  title: string;
  rows: TChartRow[];
  series: TChartSeries[];
  /** Appended to values in the tooltip, e.g. " ms". */
  unit?: string;
  /** Areas stacked on each other (parts of a whole) rather than lines side by side. */
  stacked?: boolean;
  yDomain?: [number, number];
  caption?: string;
  testId: string;
}

/** A small chart of one figure over a scenario run, seconds into the run along the x axis. */
export function MetricChart({ title, rows, series, unit = '', stacked = false, yDomain, caption, testId }: MetricChartProps) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {title}
      </Text>
      <div style={{ width: '100%', height: 180 }}>
        <ResponsiveContainer>
          <AreaChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="seconds" type="number" domain={[0, 'dataMax']} allowDecimals={false} unit=" s" tick={{ fontSize: 11 }} />
            <YAxis domain={yDomain} tick={{ fontSize: 11 }} width={44} />
            <Tooltip
              labelFormatter={(seconds) => `+${Number(seconds).toFixed(1)} s`}
              formatter={(value) => (typeof value === 'number' ? `${formatMeasure(value)}${unit}` : '—')}
            />
            {series.length > 1 ? <Legend iconSize={8} wrapperStyle={{ fontSize: 11 }} /> : null}
            {series.map(({ key, label, color }) => (
              <Area
                key={key}
                type="monotone"
                dataKey={key}
                name={label}
                stackId={stacked ? 'stack' : undefined}
                stroke={`var(--mantine-color-${color}-6)`}
                fill={`var(--mantine-color-${color}-${stacked ? 4 : 1})`}
                fillOpacity={stacked ? 0.8 : 0.3}
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        </ResponsiveContainer>
      </div>
      {caption ? (
        <Text size="xs" c="dimmed">
          {caption}
        </Text>
      ) : null}
    </Paper>
  );
}
