import type { TFilter, TFilterColumn } from '@pulse/shared/filters';
import type { Params } from './sql-params.ts';

/** The events column behind each filterable field (a fixed list: no input ever becomes an identifier). */
export const FILTER_COLUMN_SQL: Record<TFilterColumn, string> = {
  name: 'name',
  path: 'path',
  country: 'country',
  browser: 'browser',
  os: 'os',
  device: 'device',
  referrerSource: 'referrer_source',
  utmSource: 'utm_source',
  utmMedium: 'utm_medium',
  utmCampaign: 'utm_campaign',
};

const NUMERIC_OPERATOR = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * The filters as SQL conditions on `events` rows, each joined with AND and every value a parameter. "Is not"
 * and "does not contain" also match rows without the value at all, as a person reading them would expect.
 */
export function filterConditions(params: Params, filters: readonly TFilter[]): string {
  return filters.map((filter) => ` AND ${condition(params, filter)}`).join('');
}

function condition(params: Params, filter: TFilter): string {
  if (filter.field !== 'property') return textCondition(FILTER_COLUMN_SQL[filter.field], filter.operator, () => params.add(filter.value));
  const key = params.add(filter.key);
  const text = `(properties ->> ${key})`;
  switch (filter.operator) {
    case 'isSet':
      return `properties ? ${key}`;
    case 'isNotSet':
      return `NOT (properties ? ${key})`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      // Only numbers compare: a string "10" is not 10, and no cast of a stored text can fail the query.
      return `(jsonb_typeof(properties -> ${key}) = 'number' AND ${text}::numeric ${NUMERIC_OPERATOR[filter.operator]} ${params.add(filter.value)}::numeric)`;
    default:
      return textCondition(text, filter.operator, () => params.add(String(filter.value)));
  }
}

function textCondition(expression: string, operator: string, value: () => string): string {
  switch (operator) {
    case 'is':
      return `${expression} = ${value()}`;
    case 'isNot':
      return `${expression} IS DISTINCT FROM ${value()}`;
    case 'contains':
      return `strpos(${expression}, ${value()}) > 0`;
    case 'notContains':
      return `coalesce(strpos(${expression}, ${value()}) = 0, true)`;
    case 'startsWith':
      return `starts_with(${expression}, ${value()})`;
    default:
      throw new Error(`no SQL for the filter operator "${operator}"`);
  }
}
