import type { TInsight } from '@pulse/shared/boards';
import { useBreakdownTile, useFunnelTile, useGoalsTile, usePropertyBreakdownTile, useRetentionTile, useTopPagesTile } from '../hooks/use-boards.ts';
import { formatCount } from '../lib/format.ts';
import { CountryValue } from './country-value.tsx';
import { RetentionTable } from './retention-table.tsx';
import { TileQuery } from './tile-query.tsx';
import { TileTable } from './tile-table.tsx';
import { TopPagesTable } from './top-pages-table.tsx';

const percent = (fraction: number) => `${(fraction * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;

export function TopPagesTile({ insight }: { insight: TInsight }) {
  return <TileQuery query={useTopPagesTile(insight)}>{(answer) => <TopPagesTable pages={answer.pages} />}</TileQuery>;
}

export function BreakdownTile({ insight }: { insight: TInsight }) {
  return (
    <TileQuery query={useBreakdownTile(insight)}>
      {(answer) => (
        <TileTable
          rows={answer.rows.map(({ value, count }) => ({
            value,
            label: answer.by === 'country' ? <CountryValue value={value} /> : value,
            cells: [formatCount(count)],
          }))}
          empty="No events in this range."
        />
      )}
    </TileQuery>
  );
}

export function PropertyBreakdownTile({ insight }: { insight: TInsight }) {
  return (
    <TileQuery query={usePropertyBreakdownTile(insight)}>
      {(answer) => (
        <TileTable
          rows={[
            ...answer.rows.map(({ value, count }) => ({ value, label: value, cells: [formatCount(count)] })),
            ...(answer.other > 0 ? [{ value: '(other values)', label: 'Other values', cells: [formatCount(answer.other)] }] : []),
          ]}
          empty={`No events with the property ${answer.key} in this range.`}
        />
      )}
    </TileQuery>
  );
}

export function GoalsTile({ insight }: { insight: TInsight }) {
  return (
    <TileQuery query={useGoalsTile(insight)}>
      {(answer) => (
        <TileTable
          head={['Goal', 'Conversions', 'Visitors', 'Rate']}
          rows={answer.goals.map((goal) => ({
            value: goal.name,
            label: goal.name,
            cells: [formatCount(goal.conversions), formatCount(goal.visitors), percent(goal.rate)],
          }))}
          empty="This tenant has no goals yet."
        />
      )}
    </TileQuery>
  );
}

export function FunnelTile({ insight }: { insight: TInsight }) {
  return (
    <TileQuery query={useFunnelTile(insight)}>
      {(answer) => (
        <TileTable
          head={['Step', 'Visitors', 'Conversion']}
          rows={answer.steps.map((step, index) => ({
            value: `${index + 1}. ${step.label}`,
            label: `${index + 1}. ${step.label}`,
            cells: [formatCount(step.visitors), percent(step.conversion)],
          }))}
          empty="No steps."
        />
      )}
    </TileQuery>
  );
}

export function RetentionTile({ insight }: { insight: TInsight }) {
  return <TileQuery query={useRetentionTile(insight)}>{(answer) => <RetentionTable answer={answer} />}</TileQuery>;
}
