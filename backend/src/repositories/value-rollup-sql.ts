import type { TFilterColumn } from '@pulse/shared/filters';
import { FILTER_COLUMN_SQL, type FilterTarget } from './event-filter-sql.ts';

/**
 * What value rollups (value_rollup_counts and value_rollup_bitmaps) key their rows by. A dimension is a
 * filterable column by its field name (`country`), or a property key as `properties.<key>`; a value is the
 * JSON text of the column or property (`"DE"`, `42`, and `null` for a column without one).
 */
export type ValueDimension = TFilterColumn | `properties.${string}`;

export const propertyDimension = (key: string): ValueDimension => `properties.${key}`;

/** Rows of properties with more distinct values in a day than this are not rolled up (ids, amounts, free text). */
export const MAX_VALUES_PER_KEY = 100;
/** At most this many property keys are rolled up per tenant and day, the most used first. */
export const MAX_KEYS_PER_DAY = 50;

/** The columns as rolled up, each value as JSON text. */
export const COLUMN_VALUES = Object.entries(FILTER_COLUMN_SQL).map(([field, column]) => ({
  dimension: field,
  json: `coalesce(to_jsonb(${column})::text, 'null')`,
}));

/** Filters read against a value rollup row of their one dimension: the row's value stands for the event's. */
export const VALUE_ROWS: FilterTarget = {
  column: () => `(value::jsonb #>> '{}')`,
  propertyText: () => `(value::jsonb #>> '{}')`,
  propertyJson: () => 'value::jsonb',
  // Property rows exist only for events that carry the key.
  hasProperty: () => 'true',
};
