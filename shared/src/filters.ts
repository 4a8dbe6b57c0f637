import { z } from 'zod';
import { INGEST_LIMITS } from './ingest.ts';

/**
 * The filter language every analytics question takes: a list of conditions on an event's columns or
 * properties, all of which must hold (AND). Each kind of field allows the operators that make sense for it.
 */
export const FILTER_COLUMNS = ['name', 'path', 'country', 'browser', 'os', 'device', 'referrerSource', 'utmSource', 'utmMedium', 'utmCampaign'] as const;
export type TFilterColumn = (typeof FILTER_COLUMNS)[number];

/** At most this many conditions in one question: each is a clause PostgreSQL evaluates per raw row. */
export const MAX_FILTERS = 10;

const TEXT_OPERATORS = ['is', 'isNot'] as const;
const PATH_OPERATORS = [...TEXT_OPERATORS, 'contains', 'notContains', 'startsWith'] as const;
const PROPERTY_OPERATORS = [...PATH_OPERATORS, 'isSet', 'isNotSet', 'gt', 'gte', 'lt', 'lte'] as const;

/** A value to compare with: as long as a stored dimension can be (longer could never match). */
const ZText = z.string().min(1).max(INGEST_LIMITS.maxDimensionBytes);

const ZColumnFilter = z.object({
  field: z.enum(FILTER_COLUMNS.filter((column) => column !== 'path') as [Exclude<TFilterColumn, 'path'>, ...Exclude<TFilterColumn, 'path'>[]]),
  operator: z.enum(TEXT_OPERATORS),
  value: ZText,
});

const ZPathFilter = z.object({
  field: z.literal('path'),
  operator: z.enum(PATH_OPERATORS),
  value: ZText,
});

/**
 * A condition on one property (`properties.plan`; a top-level key only). Text operators compare the
 * property's text (a number 42 is "42"); gt/gte/lt/lte compare numbers and never match a non-number;
 * isSet/isNotSet take no value.
 */
const ZPropertyFilter = z
  .object({
    field: z.literal('property'),
    key: z.string().min(1).max(INGEST_LIMITS.maxPropertyKeyLength),
    operator: z.enum(PROPERTY_OPERATORS),
    value: z.union([ZText, z.number().finite()]).optional(),
  })
  .superRefine((filter, ctx) => {
    const takesNoValue = filter.operator === 'isSet' || filter.operator === 'isNotSet';
    const numeric = ['gt', 'gte', 'lt', 'lte'].includes(filter.operator);
    if (takesNoValue && filter.value !== undefined) ctx.addIssue({ code: 'custom', message: `"${filter.operator}" takes no value`, path: ['value'] });
    if (!takesNoValue && filter.value === undefined) ctx.addIssue({ code: 'custom', message: `"${filter.operator}" needs a value`, path: ['value'] });
    if (numeric && filter.value !== undefined && typeof filter.value !== 'number') {
      ctx.addIssue({ code: 'custom', message: `"${filter.operator}" compares numbers: give a number`, path: ['value'] });
    }
  });

export const ZFilter = z.union([ZColumnFilter, ZPathFilter, ZPropertyFilter]);
export type TFilter = z.infer<typeof ZFilter>;

export const ZFilters = z.array(ZFilter).max(MAX_FILTERS).describe('Conditions every counted event meets (AND); none: every event.');
export type TFilters = z.infer<typeof ZFilters>;
