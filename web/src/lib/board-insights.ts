import type { TBreakdownDimension, TGranularity } from '@pulse/shared/analytics';
import type { TInsight, TInsightProcedure, TRangePreset } from '@pulse/shared/boards';
import type { TCohortPeriod } from '@pulse/shared/cohorts';
import type { TFilters } from '@pulse/shared/filters';
import { FUNNEL_LIMITS } from '@pulse/shared/funnels';
import type { TTileWidth } from './board-layout.ts';
import { presetSpanMs } from './board-range.ts';
import { FIELD_LABELS } from './filter-labels.ts';
import { fittingGranularities, resolveGranularity } from './granularity-options.ts';

/**
 * What the dashboard knows of each insight a tile may show: its name and the size a new tile of it gets (in
 * rows of the board's grid: enough for a few KPIs, a chart, or a table of TABLE_ROWS rows). Keyed by every
 * procedure the API lists, so an insight added there is a type error here until the dashboard can show it.
 */
export const INSIGHT_KINDS: Record<TInsightProcedure, { label: string; height: number; width: TTileWidth }> = {
  'analytics.summary': { label: 'Summary', height: 3, width: 6 },
  'analytics.timeseries': { label: 'Events over time', height: 6, width: 6 },
  'analytics.topPages': { label: 'Top pages', height: 6, width: 4 },
  'analytics.breakdown': { label: 'Breakdown', height: 6, width: 4 },
  'analytics.propertyBreakdown': { label: 'Property breakdown', height: 6, width: 4 },
  'analytics.goals': { label: 'Goals', height: 6, width: 6 },
  'analytics.funnel': { label: 'Funnel', height: 6, width: 6 },
  'analytics.retention': { label: 'Retention', height: 6, width: 12 },
};

export const INSIGHT_CHOICES = (Object.keys(INSIGHT_KINDS) as TInsightProcedure[]).map((value) => ({ value, label: INSIGHT_KINDS[value].label }));

export function isKnownInsight(procedure: string): procedure is TInsightProcedure {
  return Object.hasOwn(INSIGHT_KINDS, procedure);
}

/** Rows a table tile asks for. */
export const TABLE_ROWS = 8;

export const DIMENSION_LABELS: Record<TBreakdownDimension, string> = {
  type: 'Event type',
  device: FIELD_LABELS.device,
  browser: FIELD_LABELS.browser,
  os: FIELD_LABELS.os,
  country: FIELD_LABELS.country,
  referrer: 'Referrer URL',
  referrerSource: FIELD_LABELS.referrerSource,
  utmSource: FIELD_LABELS.utmSource,
  utmMedium: FIELD_LABELS.utmMedium,
  utmCampaign: FIELD_LABELS.utmCampaign,
  bot: 'Bot (crawler)',
};

export const DIMENSION_CHOICES = (Object.keys(DIMENSION_LABELS) as TBreakdownDimension[]).map((value) => ({ value, label: DIMENSION_LABELS[value] }));

/** The "Add tile" form: every insight's parameters, of which the chosen insight reads its own. */
export interface TInsightForm {
  procedure: TInsightProcedure;
  rangePreset: TRangePreset;
  /** Events over time: only events of this name; null for all. */
  eventName: string | null;
  granularity: TGranularity;
  /** Zone the chart's days start in (the browser's, when the tile is made). */
  timeZone: string;
  by: TBreakdownDimension;
  propertyKey: string;
  /** Funnel steps, by event name; an empty one is not chosen yet. */
  steps: string[];
  /** Retention: the length of each cohort's period. */
  period: TCohortPeriod;
  /** Conditions the insight counts by (the Overview's, when the tile keeps them). */
  filters: TFilters;
}

export function newInsightForm(timeZone: string): TInsightForm {
  return {
    procedure: 'analytics.summary',
    rangePreset: '7d',
    eventName: null,
    granularity: granularityFor('7d'),
    timeZone,
    by: 'country',
    propertyKey: '',
    steps: ['', ''],
    period: 'week',
    filters: [],
  };
}

/** The granularity a chart of the preset shows by default, and the ones it may show. */
export function granularityFor(preset: TRangePreset): TGranularity {
  return resolveGranularity('auto', presetSpanMs(preset));
}
export function granularitiesFor(preset: TRangePreset): TGranularity[] {
  return fittingGranularities(presetSpanMs(preset));
}

/** The saved question the form describes, or what it still lacks. */
export function insightOf(form: TInsightForm): { insight: TInsight } | { missing: string } {
  const filters = form.filters.length > 0 ? { filters: form.filters } : {};
  const asking = (input: Record<string, unknown>) => ({
    insight: { procedure: form.procedure, rangePreset: form.rangePreset, input: { ...input, ...filters } },
  });
  switch (form.procedure) {
    case 'analytics.summary':
    case 'analytics.goals':
      return asking({});
    case 'analytics.timeseries':
      return asking({ granularity: form.granularity, timeZone: form.timeZone, ...(form.eventName ? { name: form.eventName } : {}) });
    case 'analytics.topPages':
      return asking({ limit: TABLE_ROWS });
    case 'analytics.breakdown':
      return asking({ by: form.by, limit: TABLE_ROWS });
    case 'analytics.propertyBreakdown': {
      const key = form.propertyKey.trim();
      return key ? asking({ key, limit: TABLE_ROWS }) : { missing: 'choose a property key' };
    }
    case 'analytics.funnel': {
      const steps = form.steps.map((step) => step.trim()).filter((step) => step !== '');
      if (steps.length < FUNNEL_LIMITS.minSteps) return { missing: `choose at least ${FUNNEL_LIMITS.minSteps} steps` };
      return asking({ steps: steps.map((name) => ({ kind: 'event', name })) });
    }
    case 'analytics.retention':
      return asking({ period: form.period, timeZone: form.timeZone });
  }
}

/** The title a new tile gets until one is typed. */
export function defaultTitle(form: TInsightForm): string {
  switch (form.procedure) {
    case 'analytics.timeseries':
      return form.eventName ? `${form.eventName} over time` : 'Events over time';
    case 'analytics.breakdown':
      return `Events by ${DIMENSION_LABELS[form.by].toLowerCase()}`;
    case 'analytics.propertyBreakdown':
      return form.propertyKey.trim() ? `Property ${form.propertyKey.trim()}` : 'Property breakdown';
    case 'analytics.funnel': {
      const steps = form.steps.filter((step) => step.trim() !== '');
      return steps.length > 0 ? `Funnel: ${steps.join(' → ')}` : 'Funnel';
    }
    case 'analytics.retention':
      return `Retention by ${form.period}`;
    default:
      return INSIGHT_KINDS[form.procedure].label;
  }
}

/** What a saved tile asks, in a few words ("Breakdown by Country"); a procedure this build does not know, by name. */
export function describeInsight(insight: { procedure: string; input: Record<string, unknown> }): string {
  if (!isKnownInsight(insight.procedure)) return insight.procedure;
  const { label } = INSIGHT_KINDS[insight.procedure];
  const { by, key, name, filters } = insight.input;
  const detail =
    insight.procedure === 'analytics.breakdown' && typeof by === 'string' && Object.hasOwn(DIMENSION_LABELS, by)
      ? ` by ${DIMENSION_LABELS[by as TBreakdownDimension]}`
      : insight.procedure === 'analytics.propertyBreakdown' && typeof key === 'string'
        ? ` of ${key}`
        : insight.procedure === 'analytics.timeseries' && typeof name === 'string'
          ? ` of ${name}`
          : '';
  const filtered = Array.isArray(filters) && filters.length > 0 ? `, ${filters.length} filter${filters.length === 1 ? '' : 's'}` : '';
  return `${label}${detail}${filtered}`;
}

/**
 * A new tile's id: a random (version 4) UUID. Not crypto.randomUUID, which only pages served over HTTPS or
 * from localhost have; a dashboard on a plain-HTTP address must still add tiles.
 */
export function newTileId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
