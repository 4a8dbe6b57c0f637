import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TFunnelStep } from '@pulse/shared/funnels';

/** Visitors at each step, as bars from step 1 on. */
export function FunnelChart({ steps }: { steps: TFunnelStep[] }) {
  const data = steps.map((step, index) => ({ label: `${index + 1}. ${step.label}`, visitors: step.visitors }));
  return (
    <div style={{ width: '100%', height: 240 }} data-testid="funnel-chart">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} interval={0} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
          <Tooltip />
          <Bar dataKey="visitors" name="Visitors" fill="var(--mantine-color-blue-filled)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
