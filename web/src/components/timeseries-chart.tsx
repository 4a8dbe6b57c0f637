import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TGranularity, TTimeseriesResponse } from '@pulse/shared/analytics';

const LABEL: Partial<Record<TGranularity, Intl.DateTimeFormatOptions>> = {
  minute: { hour: '2-digit', minute: '2-digit' },
  hour: { hour: '2-digit', minute: '2-digit' },
};

export function TimeseriesChart({ series }: { series: TTimeseriesResponse }) {
  const format = new Intl.DateTimeFormat(undefined, LABEL[series.granularity] ?? { month: 'short', day: 'numeric' });
  const data = series.points.map((point) => ({ label: format.format(new Date(point.bucket)), count: point.count }));
  return (
    <div style={{ width: '100%', height: 240 }} data-testid="overview-timeseries">
      <ResponsiveContainer>
        <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} minTickGap={24} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
          <Tooltip />
          <Area
            type="monotone"
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
