import { matchFilters, type TEventMatch } from '@pulse/shared/event-match';
import { filterConditions } from './event-filter-sql.ts';
import type { Params } from './sql-params.ts';

/** A boolean SQL expression on an `events` row: true when the row is an event `match` describes. */
export function matchCondition(params: Params, match: TEventMatch): string {
  const { pageViewsOnly, filters } = matchFilters(match);
  // filterConditions yields " AND a AND b"; the leading TRUE makes it one expression.
  return `(${pageViewsOnly ? "type = 'page'" : 'TRUE'}${filterConditions(params, filters)})`;
}
