import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TTimeseriesResponse } from '@pulse/shared/analytics';
import { bucketLabeller } from '../lib/bucket-labels.ts';

export function TimeseriesChart({ series }: { series: TTimeseriesResponse }) {
  const label = bucketLabeller(series);
  const data = series.points.map((point) => ({ label: label(point.bucket), count: point.count }));
  return (
    <div style={{ width: '100%', height: 240 }} data-testid="overview-timeseries">
      <ResponsiveContainer>
        <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} minTickGap={24} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
          <Tooltip />
          {/* A bucket's count holds for the whole bucket: steps, not a curve that suggests values between them. */}
          <Area
            type="stepAfter"
            dataKey="count"
            name="Events"
            stroke="var(--mantine-color-blue-filled)"
            fill="var(--mantine-color-blue-light)"
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
