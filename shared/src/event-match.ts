import { z } from 'zod';
import { ZFilters, type TFilter } from './filters.ts';
import { INGEST_LIMITS } from './ingest.ts';
import { ZStorableString } from './text.ts';

/**
 * Which events count as "doing" something — a funnel step, a goal's conversion, a retention cohort's or
 * return's event: one event name, or page views of a path (exact, prefix or substring), each with optional
 * further filters on the same event.
 */
const ZEventNameMatch = z.object({
  kind: z.literal('event'),
  name: ZStorableString.min(1).max(200).describe('The event name, e.g. "signup".'),
  filters: ZFilters.optional().describe('Further conditions on the same event, e.g. properties.plan is "pro".'),
});

export const PATH_MATCHES = ['is', 'startsWith', 'contains'] as const;

const ZPageMatch = z.object({
  kind: z.literal('page'),
  path: z.string().min(1).max(INGEST_LIMITS.maxDimensionBytes).describe('The page path, e.g. "/pricing".'),
  match: z.enum(PATH_MATCHES).default('is').describe('How the path compares: exactly, as a prefix, or as a substring.'),
  filters: ZFilters.optional(),
});

export const ZEventMatch = z.discriminatedUnion('kind', [ZEventNameMatch, ZPageMatch]);
export type TEventMatch = z.infer<typeof ZEventMatch>;
export type TEventMatchInput = z.input<typeof ZEventMatch>;

/** The match as plain filters: an event name is `name is …`; a page is a page view (type page) with a path condition. */
export function matchFilters(match: TEventMatch): { pageViewsOnly: boolean; filters: TFilter[] } {
  const own = match.filters ?? [];
  if (match.kind === 'event') return { pageViewsOnly: false, filters: [{ field: 'name', operator: 'is', value: match.name }, ...own] };
  return { pageViewsOnly: true, filters: [{ field: 'path', operator: match.match, value: match.path }, ...own] };
}

/** How a match reads in a table header: "signup", "page /pricing*". */
export function describeMatch(match: TEventMatchInput): string {
  if (match.kind === 'event') return match.name;
  const suffix = { is: '', startsWith: '*', contains: ' (contains)' }[match.match ?? 'is'];
  return `page ${match.path}${suffix}`;
}
