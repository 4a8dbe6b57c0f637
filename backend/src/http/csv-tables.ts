import type { TBreakdownRequest, TPropertyBreakdownRequest, TSummaryRequest, TTopPagesRequest } from '@pulse/shared/analytics';
import type { TRetentionRequest, TRetentionResponse } from '@pulse/shared/cohorts';
import type { TEventListRequest, TStoredEvent } from '@pulse/shared/events';
import type { TFunnelRequest } from '@pulse/shared/funnels';
import type { TGoalsReportRequest } from '@pulse/shared/goals';
import type { TTimelineEvent, TTimelineRequest } from '@pulse/shared/timeline';
import { appRouter } from '../trpc/app-router.ts';
import { createCallerFactory } from '../trpc/trpc.ts';

export const createAppCaller = createCallerFactory(appRouter);
/** The tRPC router called in-process, as the caller's own context: its key, tenant, limits and errors. */
export type AppCaller = ReturnType<typeof createAppCaller>;

/** A table as its CSV holds it: a header line, then one line per row. */
export interface CsvRows {
  header: readonly string[];
  rows: ReadonlyArray<readonly unknown[]>;
  /** There is more: the same input with this `cursor` reads the next part (sent as the Pulse-Next-Cursor header). */
  nextCursor?: string | null;
}

/**
 * One dashboard table with a CSV download. `read` calls the procedure behind the table through the caller,
 * with the raw input of the download's URL: the procedure validates it as it would over tRPC.
 */
export interface CsvTable {
  read(caller: AppCaller, input: unknown): Promise<CsvRows>;
}

/** Rows of `items`, one column per named field, headed by the fields' names (as the JSON answer names them). */
export function columnsOf<TItem>(items: readonly TItem[], columns: ReadonlyArray<keyof TItem & string>): CsvRows {
  return { header: columns, rows: items.map((item) => columns.map((column) => item[column])) };
}

/**
 * The retention triangle: one row per cohort (start, size), then one column per offset holding the share
 * (a fraction) that returned; a cohort's cells past the range's last period are empty, so every record has
 * as many fields as the header.
 */
function retentionRows(answer: Pick<TRetentionResponse, 'periods'>): CsvRows {
  const offsets = Array.from({ length: answer.periods.length }, (_, offset) => `period ${offset}`);
  return {
    header: ['start', 'size', ...offsets],
    rows: answer.periods.map((cohort) => [cohort.start, cohort.size, ...offsets.map((_, offset) => cohort.values[offset]?.percent ?? null)]),
  };
}

const EVENT_COLUMNS = [
  'ts',
  'type',
  'name',
  'userId',
  'anonymousId',
  'sessionId',
  'path',
  'referrer',
  'country',
  'device',
  'browser',
  'properties',
  'messageId',
  'id',
  'receivedAt',
] as const satisfies ReadonlyArray<keyof TStoredEvent>;

const TIMELINE_COLUMNS = [...EVENT_COLUMNS, 'os', 'isBot'] as const satisfies ReadonlyArray<keyof TTimelineEvent>;

/**
 * Every table with a CSV download, by the procedure the dashboard reads it with (the `:procedure` of
 * /api/csv/:procedure). A new table is one entry here.
 */
export const CSV_TABLES: Record<string, CsvTable> = {
  // The Overview's events by type: every event name of the range, as the summary counts them.
  'analytics.summary': {
    read: async (caller, input) => columnsOf((await caller.analytics.summary(input as TSummaryRequest)).byType, ['name', 'count']),
  },
  'analytics.topPages': {
    read: async (caller, input) => columnsOf((await caller.analytics.topPages(input as TTopPagesRequest)).pages, ['path', 'views']),
  },
  'analytics.breakdown': {
    read: async (caller, input) => columnsOf((await caller.analytics.breakdown(input as TBreakdownRequest)).rows, ['value', 'count']),
  },
  'analytics.propertyBreakdown': {
    read: async (caller, input) => columnsOf((await caller.analytics.propertyBreakdown(input as TPropertyBreakdownRequest)).rows, ['value', 'count']),
  },
  'analytics.funnel': {
    read: async (caller, input) =>
      columnsOf((await caller.analytics.funnel(input as TFunnelRequest)).steps, ['label', 'visitors', 'dropped', 'conversion', 'medianSecondsFromPrevious']),
  },
  'analytics.goals': {
    read: async (caller, input) => columnsOf((await caller.analytics.goals(input as TGoalsReportRequest)).goals, ['name', 'conversions', 'visitors', 'rate']),
  },
  'analytics.retention': {
    read: async (caller, input) => retentionRows(await caller.analytics.retention(input as TRetentionRequest)),
  },
  // The event log's download is an export page: its filters, up to 5,000 events (1,000 unless `limit` says) and
  // EXPORT_MAX_BYTES, refused first when the server is busy; a cursor says where the next part starts.
  'events.list': {
    read: async (caller, input) => {
      const page = await caller.events.export(input as TEventListRequest);
      return { ...columnsOf(page.events, EVENT_COLUMNS), nextCursor: page.nextCursor };
    },
  },
  'events.timeline': {
    read: async (caller, input) => {
      const page = await caller.events.timeline(input as TTimelineRequest);
      return { ...columnsOf(page.events, TIMELINE_COLUMNS), nextCursor: page.nextCursor };
    },
  },
};
