import { Alert } from '@mantine/core';
import type { TInsight, TInsightProcedure } from '@pulse/shared/boards';
import type { JSX } from 'react';
import { isKnownInsight } from '../lib/board-insights.ts';
import { SummaryTile } from './tile-summary.tsx';
import { BreakdownTile, FunnelTile, GoalsTile, PropertyBreakdownTile, RetentionTile, TopPagesTile } from './tile-tables.tsx';
import { TimeseriesTile } from './tile-timeseries.tsx';

const RENDERERS: Record<TInsightProcedure, (props: { insight: TInsight }) => JSX.Element> = {
  'analytics.summary': SummaryTile,
  'analytics.timeseries': TimeseriesTile,
  'analytics.topPages': TopPagesTile,
  'analytics.breakdown': BreakdownTile,
  'analytics.propertyBreakdown': PropertyBreakdownTile,
  'analytics.goals': GoalsTile,
  'analytics.funnel': FunnelTile,
  'analytics.retention': RetentionTile,
};

/** The tile's answer, drawn by its procedure's renderer; an insight this build cannot draw says so in its tile alone. */
export function TileAnswer({ insight }: { insight: TInsight }) {
  if (!isKnownInsight(insight.procedure)) {
    return (
      <Alert color="yellow" variant="light" title="Not shown here" data-testid="tile-unknown">
        This dashboard cannot draw {insight.procedure} tiles yet; reload it after an update.
      </Alert>
    );
  }
  const Renderer = RENDERERS[insight.procedure];
  return <Renderer insight={insight} />;
}
