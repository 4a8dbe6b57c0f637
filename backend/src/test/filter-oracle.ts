import type { TEventMatchInput } from '@pulse/shared/event-match';
import type { TFilter } from '@pulse/shared/filters';
import type { EventRow } from '../repositories/event-repository.ts';

/**
 * What each filter means, said once more in TypeScript, for oracle tests that recompute the SQL's answers over
 * the rows they generated (the filter fields are the row's own names).
 */
export function meetsFilter(row: EventRow, filter: TFilter): boolean {
  if (filter.field === 'property') {
    const present = Object.hasOwn(row.properties, filter.key);
    const raw = row.properties[filter.key];
    if (filter.operator === 'isSet') return present;
    if (filter.operator === 'isNotSet') return !present;
    if (['gt', 'gte', 'lt', 'lte'].includes(filter.operator)) {
      if (typeof raw !== 'number') return false;
      const limit = filter.value as number;
      return { gt: raw > limit, gte: raw >= limit, lt: raw < limit, lte: raw <= limit }[filter.operator as 'gt']!;
    }
    // A JSON null has no text (`->>` gives SQL NULL), like a missing key.
    return textMeets(present && raw !== null ? String(raw) : null, filter.operator, String(filter.value));
  }
  return textMeets(row[filter.field], filter.operator, filter.value);
}

/** A text comparison as the filters and page matches define it: "is not" and "does not contain" match a missing value. */
export function textMeets(value: string | null, operator: string, expected: string): boolean {
  if (operator === 'is') return value === expected;
  if (operator === 'isNot') return value !== expected;
  if (operator === 'contains') return value !== null && value.includes(expected);
  if (operator === 'notContains') return value === null || !value.includes(expected);
  if (operator === 'startsWith') return value !== null && value.startsWith(expected);
  throw new Error(`no oracle for ${operator}`);
}

/** Whether the row is an event the match describes (a funnel step, a goal, a retention event). */
export function meetsMatch(row: EventRow, match: TEventMatchInput): boolean {
  const own = (match.filters ?? []).every((filter) => meetsFilter(row, filter));
  if (match.kind === 'event') return own && row.name === match.name;
  return own && row.type === 'page' && textMeets(row.path, match.match ?? 'is', match.path);
}
