import { ZFilter, type TFilter, type TFilterColumn } from '@pulse/shared/filters';
import { countryLabel } from './countries.ts';

export type TFilterField = TFilter['field'];
export type TFilterOperator = TFilter['operator'];

export const FIELD_LABELS: Record<TFilterColumn, string> = {
  name: 'Event',
  path: 'Page',
  country: 'Country',
  browser: 'Browser',
  os: 'OS',
  device: 'Device',
  referrerSource: 'Source',
  utmSource: 'UTM source',
  utmMedium: 'UTM medium',
  utmCampaign: 'UTM campaign',
};

export const OPERATOR_LABELS: Record<TFilterOperator, string> = {
  is: 'is',
  isNot: 'is not',
  contains: 'contains',
  notContains: 'does not contain',
  startsWith: 'starts with',
  isSet: 'is set',
  isNotSet: 'is not set',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
};

const [COLUMN_SCHEMA, PATH_SCHEMA, PROPERTY_SCHEMA] = ZFilter.options;

/** The operators the API takes for a field (shared/src/filters.ts): read from its schema, so they cannot drift. */
export function operatorsFor(field: TFilterField): readonly TFilterOperator[] {
  if (field === 'property') return PROPERTY_SCHEMA.shape.operator.options;
  if (field === 'path') return PATH_SCHEMA.shape.operator.options;
  return COLUMN_SCHEMA.shape.operator.options;
}

/** Operators that compare numbers, and those that take no value at all. */
export const NUMERIC_OPERATORS: ReadonlySet<TFilterOperator> = new Set(['gt', 'gte', 'lt', 'lte']);
export const VALUELESS_OPERATORS: ReadonlySet<TFilterOperator> = new Set(['isSet', 'isNotSet']);

/** "Germany" for a country code the browser can name; any other value as it is. */
export function filterValueLabel(field: TFilterField, value: string | number): string {
  if (field === 'country' && typeof value === 'string') return countryLabel(value).name ?? value;
  return String(value);
}

/** What the chip says: "Country is Germany", "Property plan is set", "Property amount ≥ 10". */
export function filterLabel(filter: TFilter): string {
  const field = filter.field === 'property' ? `Property ${filter.key}` : FIELD_LABELS[filter.field];
  const value = filter.value === undefined ? '' : ` ${filterValueLabel(filter.field, filter.value)}`;
  return `${field} ${OPERATOR_LABELS[filter.operator]}${value}`;
}

export function sameFilter(a: TFilter, b: TFilter): boolean {
  const keyOf = (filter: TFilter) => (filter.field === 'property' ? filter.key : undefined);
  return a.field === b.field && keyOf(a) === keyOf(b) && a.operator === b.operator && a.value === b.value;
}

/** "Country is DE": what clicking a row of a breakdown asks for. */
export function columnIs(field: TFilterColumn, value: string): TFilter {
  return { field, operator: 'is', value };
}

/** The row's accessible name: "Filter by Country DE". */
export function filterByLabel(field: TFilterColumn, value: string): string {
  return `Filter by ${FIELD_LABELS[field]} ${value}`;
}
