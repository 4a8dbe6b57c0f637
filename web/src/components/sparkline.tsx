import { Line, LineChart, ResponsiveContainer, YAxis } from 'recharts';

interface SparklineProps {
  values: number[];
  height?: number;
  testId?: string;
}

/** A small line without axes or labels, for a trend at a glance. */
export function Sparkline({ values, height = 48, testId }: SparklineProps) {
  const data = values.map((value, index) => ({ index, value }));
  return (
    <div style={{ width: '100%', height }} data-testid={testId}>
      <ResponsiveContainer>
        <LineChart data={data} margin={{ top: 4, right: 0, bottom: 4, left: 0 }}>
          <YAxis hide domain={[0, 'auto']} />
          <Line type="monotone" dataKey="value" stroke="var(--mantine-color-blue-filled)" strokeWidth={2} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
