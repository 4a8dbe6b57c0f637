import { MAX_FILTERS, ZFilter, type TFilter, type TFilters } from '@pulse/shared/filters';
import { NUMERIC_OPERATORS, type TFilterOperator } from './filter-labels.ts';

/** The query parameter that holds one filter; repeated for each. */
const FILTER_PARAM = 'filter';

/**
 * One filter as text: "country:is:DE", "property:plan:isSet", "property:amount:gte:10". The value is everything
 * after the operator, colons included; a property key, the one other part that may hold a colon, is escaped.
 */
function encodeFilter(filter: TFilter): string {
  const head = filter.field === 'property' ? `property:${encodeURIComponent(filter.key)}` : filter.field;
  return filter.value === undefined ? `${head}:${filter.operator}` : `${head}:${filter.operator}:${filter.value}`;
}

/** Splits "a:rest" at its first colon; without one, the rest is undefined. */
function splitOnce(text: string): [string, string | undefined] {
  const colon = text.indexOf(':');
  return colon < 0 ? [text, undefined] : [text.slice(0, colon), text.slice(colon + 1)];
}

function decodeFilter(text: string): TFilter | null {
  const [field, afterField = ''] = splitOnce(text);
  let key: string | undefined;
  let afterKey = afterField;
  if (field === 'property') {
    const [escapedKey, rest = ''] = splitOnce(afterField);
    try {
      key = decodeURIComponent(escapedKey);
    } catch {
      return null;
    }
    afterKey = rest;
  }
  const [operator, rawValue] = splitOnce(afterKey);
  const numeric = NUMERIC_OPERATORS.has(operator as TFilterOperator) && rawValue !== undefined && rawValue.trim() !== '';
  const value = numeric ? Number(rawValue) : rawValue;
  const parsed = ZFilter.safeParse({ field, key, operator, value });
  return parsed.success ? parsed.data : null;
}

/** "filter=country%3Ais%3ADE&filter=…" (empty without filters): for the address after "#/overview?". */
export function filtersToQuery(filters: TFilters): string {
  return new URLSearchParams(filters.map((filter) => [FILTER_PARAM, encodeFilter(filter)])).toString();
}

/** The filters a query names; what the API would refuse (hand-edited or from an older version) is left out. */
export function filtersFromQuery(query: string): TFilters {
  const filters = new URLSearchParams(query)
    .getAll(FILTER_PARAM)
    .map(decodeFilter)
    .filter((filter) => filter !== null);
  return filters.slice(0, MAX_FILTERS);
}
