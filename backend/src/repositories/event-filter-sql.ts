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

/**
 * Where a filter's field is read from. `key` adds the property key as a parameter when called (an unused
 * parameter would leave PostgreSQL unable to type it).
 */
export interface FilterTarget {
  column(field: TFilterColumn): string;
  /** The property's value as text (a number 42 is "42"), NULL when absent. */
  propertyText(key: () => string): string;
  /** The property's value as jsonb, NULL when absent. */
  propertyJson(key: () => string): string;
  hasProperty(key: () => string): string;
}

/** Filters on `events` rows. */
export const EVENT_ROWS: FilterTarget = {
  column: (field) => FILTER_COLUMN_SQL[field],
  propertyText: (key) => `(properties ->> ${key()})`,
  propertyJson: (key) => `(properties -> ${key()})`,
  hasProperty: (key) => `properties ? ${key()}`,
};

const NUMERIC_OPERATOR = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * The filters as SQL conditions, each joined with AND and every value a parameter. "Is not" and "does not
 * contain" also match rows without the value at all, as a person reading them would expect.
 */
export function filterConditions(params: Params, filters: readonly TFilter[], target: FilterTarget = EVENT_ROWS): string {
  return filters.map((filter) => ` AND ${condition(params, filter, target)}`).join('');
}

function condition(params: Params, filter: TFilter, target: FilterTarget): string {
  if (filter.field !== 'property') return textCondition(target.column(filter.field), filter.operator, () => params.add(filter.value));
  let keyParam: string | undefined;
  const key = () => (keyParam ??= params.add(filter.key));
  switch (filter.operator) {
    case 'isSet':
      return target.hasProperty(key);
    case 'isNotSet':
      return `NOT (${target.hasProperty(key)})`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      // Only numbers compare: a string "10" is not 10, and no cast of a stored text can fail the query (CASE, not
      // AND: PostgreSQL may evaluate the operands of AND in either order).
      return `CASE WHEN jsonb_typeof(${target.propertyJson(key)}) = 'number' THEN ${target.propertyText(key)}::numeric ${NUMERIC_OPERATOR[filter.operator]} ${params.add(filter.value)}::numeric ELSE false END`;
    default:
      return textCondition(target.propertyText(key), filter.operator, () => params.add(String(filter.value)));
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
