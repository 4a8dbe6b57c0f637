import { ZEventMatch, type TEventMatch } from '@pulse/shared/event-match';
import { FUNNEL_LIMITS, ZFunnelBreakdown, type TFunnelBreakdown } from '@pulse/shared/funnels';
import type { TFilters } from '@pulse/shared/filters';
import { filtersFromQuery, filtersToQuery } from './filter-hash.ts';

/** What the Funnels page asks (its range is the dashboard's, chosen apart): the part a link keeps. */
export interface TFunnelDefinition {
  steps: TEventMatch[];
  windowSeconds: number;
  breakdown?: TFunnelBreakdown;
  /** Conditions every event of the funnel meets (the whole question's, beside each step's own). */
  filters?: TFilters;
}

const STEP_PARAM = 'step';
const WINDOW_PARAM = 'window';
const BREAKDOWN_PARAM = 'breakdown';
/** Step n's (from 1) own filters, each as the Overview's address writes one (filter-hash.ts, under this name). */
const stepFiltersParam = (stepNumber: number) => `step${stepNumber}.filter`;
const OVERVIEW_FILTER_PARAM = 'filter';
const PROPERTY_PREFIX = 'property:';

/** Filters as the Overview's address writes each ("country:is:DE"), to be stored under any parameter name. */
const filterTextsOf = (filters: TFilters | undefined): string[] => new URLSearchParams(filtersToQuery(filters ?? [])).getAll(OVERVIEW_FILTER_PARAM);

/** The filters those texts name, or null when any is one the API would refuse (it would count other events). */
function filtersOfTexts(texts: string[]): TFilters | null {
  const filters = filtersFromQuery(new URLSearchParams(texts.map((text) => [OVERVIEW_FILTER_PARAM, text])).toString());
  return filters.length === texts.length ? filters : null;
}

/** "event:signup", "page:startsWith:/docs": the name or path is everything after its prefix, colons included. */
function encodeStep(step: TEventMatch): string {
  return step.kind === 'event' ? `event:${step.name}` : `page:${step.match}:${step.path}`;
}

function decodeStep(text: string, filterTexts: string[]): TEventMatch | null {
  const filters = filtersOfTexts(filterTexts);
  // A filter left out would count other visitors than the link's author saw: the whole step is refused instead.
  if (filters === null) return null;
  const own = filters.length > 0 ? { filters } : {};
  const [kind, afterKind = ''] = splitOnce(text);
  const [match, path] = splitOnce(afterKind);
  const candidate = kind === 'page' ? { kind, match, path, ...own } : { kind, name: afterKind, ...own };
  const parsed = ZEventMatch.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

/** Splits "a:rest" at its first colon; without one, the rest is undefined. */
function splitOnce(text: string): [string, string | undefined] {
  const colon = text.indexOf(':');
  return colon < 0 ? [text, undefined] : [text.slice(0, colon), text.slice(colon + 1)];
}

/** "step=event%3Asignup&step=page%3Ais%3A%2Fpricing&window=86400&breakdown=country": for the address after "#/funnels?". */
export function funnelToQuery(funnel: TFunnelDefinition): string {
  const params = new URLSearchParams();
  funnel.steps.forEach((step) => params.append(STEP_PARAM, encodeStep(step)));
  funnel.steps.forEach((step, index) => {
    for (const filter of filterTextsOf(step.filters)) params.append(stepFiltersParam(index + 1), filter);
  });
  // The whole funnel's filters, as the Overview writes its own.
  for (const filter of filterTextsOf(funnel.filters)) params.append(OVERVIEW_FILTER_PARAM, filter);
  params.set(WINDOW_PARAM, String(funnel.windowSeconds));
  if (typeof funnel.breakdown === 'string') params.set(BREAKDOWN_PARAM, funnel.breakdown);
  else if (funnel.breakdown) params.set(BREAKDOWN_PARAM, `${PROPERTY_PREFIX}${funnel.breakdown.property}`);
  return params.toString();
}

/**
 * The funnel a query names, or null when it names none the API would take as it is (too few or too many
 * steps, a step or filter it would refuse): a link that cannot be shown exactly is not shown at all. A
 * missing or unusable window is the API's default, and an unusable breakdown is none.
 */
export function funnelFromQuery(query: string): TFunnelDefinition | null {
  const params = new URLSearchParams(query);
  const stepTexts = params.getAll(STEP_PARAM);
  if (stepTexts.length < FUNNEL_LIMITS.minSteps || stepTexts.length > FUNNEL_LIMITS.maxSteps) return null;
  const steps = stepTexts.map((text, index) => decodeStep(text, params.getAll(stepFiltersParam(index + 1))));
  if (steps.some((step) => step === null)) return null;
  // As for a step's: a whole-funnel filter left out would count other visitors, so the link is refused.
  const filters = filtersOfTexts(params.getAll(OVERVIEW_FILTER_PARAM));
  if (filters === null) return null;
  return {
    steps: steps as TEventMatch[],
    windowSeconds: windowOf(params.get(WINDOW_PARAM)),
    ...breakdownOf(params.get(BREAKDOWN_PARAM)),
    ...(filters.length > 0 ? { filters } : {}),
  };
}

function windowOf(text: string | null): number {
  const seconds = Number(text);
  const usable = text !== null && Number.isInteger(seconds) && seconds >= FUNNEL_LIMITS.minWindowSeconds && seconds <= FUNNEL_LIMITS.maxWindowSeconds;
  return usable ? seconds : FUNNEL_LIMITS.defaultWindowSeconds;
}

function breakdownOf(text: string | null): { breakdown?: TFunnelBreakdown } {
  if (text === null) return {};
  const candidate = text.startsWith(PROPERTY_PREFIX) ? { property: text.slice(PROPERTY_PREFIX.length) } : text;
  const parsed = ZFunnelBreakdown.safeParse(candidate);
  return parsed.success ? { breakdown: parsed.data } : {};
}
