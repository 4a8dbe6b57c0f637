import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TAlertChartPoint } from '../lib/alert-rules.ts';
import { formatMeasure } from '../lib/format.ts';

interface AlertRuleChartProps {
  points: TAlertChartPoint[];
  /** An above/below rule's fixed line; null when the rule is held against a band. */
  threshold: number | null;
}

interface DotProps {
  cx?: number;
  cy?: number;
  index?: number;
  payload?: TAlertChartPoint;
}

/** Each judged window is a dot (a single one draws no line); breaching ones stand out, larger and red. */
function WindowDot({ cx, cy, index, payload }: DotProps) {
  if (!payload || payload.value === null || cx === undefined || cy === undefined) return <g key={index} />;
  if (!payload.breached) return <circle key={index} cx={cx} cy={cy} r={2} fill="var(--mantine-color-blue-6)" />;
  return <circle key={index} cx={cx} cy={cy} r={4} fill="var(--mantine-color-red-6)" data-testid="alert-chart-breach" />;
}

const timeOf = (ms: number) => new Date(ms).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** A rule's value per judged window, the band it was held against (or its threshold), and its breaches. */
export function AlertRuleChart({ points, threshold }: AlertRuleChartProps) {
  return (
    <div style={{ width: '100%', height: 240 }} data-testid="alert-chart">
      <ResponsiveContainer>
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="windowEnd"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={timeOf}
            tick={{ fontSize: 11 }}
            minTickGap={24}
          />
          <YAxis tick={{ fontSize: 11 }} width={48} />
          <Tooltip
            labelFormatter={(ms) => `Window ending ${timeOf(Number(ms))}`}
            formatter={(value) =>
              Array.isArray(value) ? value.map((edge) => formatMeasure(Number(edge))).join(' – ') : typeof value === 'number' ? formatMeasure(value) : '—'
            }
          />
          <Area dataKey="band" name="Expected band" stroke="none" fill="var(--mantine-color-blue-2)" fillOpacity={0.5} isAnimationActive={false} />
          {threshold !== null ? <ReferenceLine y={threshold} stroke="var(--mantine-color-red-6)" strokeDasharray="4 4" /> : null}
          <Line
            dataKey="value"
            name="Value"
            stroke="var(--mantine-color-blue-6)"
            dot={(props: DotProps) => <WindowDot {...props} key={props.index} />}
            connectNulls={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
