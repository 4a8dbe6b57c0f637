import { z } from 'zod';
import { ZBreakdownRequest, ZPropertyBreakdownRequest, ZSummaryRequest, ZTimeseriesRequest, ZTopPagesRequest } from './analytics.ts';
import { ZRetentionRequest } from './cohorts.ts';
import { ZFunnelRequest } from './funnels.ts';
import { ZGoalsReportRequest } from './goals.ts';
import { ZStorableString, unstorableTextIn } from './text.ts';

/**
 * The procedures a board tile may show, each with its own request schema. A tile stores the request without
 * `from`/`to` (its range is a preset, resolved when the board is shown); adding an insight is one line here.
 */
const INSIGHT_REQUESTS = {
  'analytics.summary': ZSummaryRequest,
  'analytics.timeseries': ZTimeseriesRequest,
  'analytics.topPages': ZTopPagesRequest,
  'analytics.breakdown': ZBreakdownRequest,
  'analytics.propertyBreakdown': ZPropertyBreakdownRequest,
  'analytics.goals': ZGoalsReportRequest,
  'analytics.funnel': ZFunnelRequest,
  'analytics.retention': ZRetentionRequest,
} satisfies Record<string, z.ZodType<{ from: string; to: string }>>;

export type TInsightProcedure = keyof typeof INSIGHT_REQUESTS;
export const INSIGHT_PROCEDURES = Object.keys(INSIGHT_REQUESTS) as [TInsightProcedure, ...TInsightProcedure[]];
export const ZInsightProcedure = z.enum(INSIGHT_PROCEDURES);

/** The dashboard's relative ranges (its "custom" range names fixed days, which a saved insight does not keep). */
export const RANGE_PRESETS = ['today', '24h', '7d', '30d', '90d'] as const;
export const ZRangePreset = z.enum(RANGE_PRESETS).describe('The range a tile shows, counted back from when the board is shown.');
export type TRangePreset = z.infer<typeof ZRangePreset>;

const DAY_MS = 86_400_000;
/** The longest range each preset covers ("today" at most a day, however long the local day). */
const PRESET_SPAN_MS: Record<TRangePreset, number> = { today: DAY_MS, '24h': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS, '90d': 90 * DAY_MS };
/** Any fixed instant: an input is checked as the request its preset would make, ending here. */
const CHECKED_AT = Date.parse('2026-01-01T00:00:00Z');

export const GRID_COLUMNS = 12;
export const BOARD_LIMITS = { maxTiles: 24, maxRow: 1_000, maxTileHeight: 24 } as const;

const ZInsightFields = {
  procedure: ZInsightProcedure,
  input: z.record(z.string(), z.unknown()).describe("The procedure's request without from and to, e.g. { by: 'country', limit: 5 }."),
  rangePreset: ZRangePreset,
};

/**
 * A saved question: checked against its procedure's own request schema with the preset's range added, and
 * stored as that schema reads it (defaults filled in, unknown keys dropped), without the range.
 */
export const ZInsightInput = z.object(ZInsightFields).transform((insight, ctx) => {
  for (const key of ['from', 'to'] as const) {
    if (Object.hasOwn(insight.input, key)) {
      ctx.addIssue({ code: 'custom', path: ['input', key], message: 'leave out from and to: a saved insight takes its range from rangePreset' });
    }
  }
  const range = { from: new Date(CHECKED_AT - PRESET_SPAN_MS[insight.rangePreset]).toISOString(), to: new Date(CHECKED_AT).toISOString() };
  const parsed = INSIGHT_REQUESTS[insight.procedure].safeParse({ ...insight.input, ...range });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ ...issue, path: ['input', ...issue.path], message: `${insight.procedure}: ${issue.message}` } as z.core.$ZodRawIssue);
    }
    return z.NEVER;
  }
  const { from: _from, to: _to, ...input } = parsed.data as Record<string, unknown>;
  const problem = unstorableTextIn(input, 'input');
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
  return { ...insight, input };
});

export const ZInsight = z.object(ZInsightFields);
export type TInsight = z.infer<typeof ZInsight>;

export const ZTileLayout = z
  .object({
    x: z
      .number()
      .int()
      .min(0)
      .max(GRID_COLUMNS - 1)
      .describe('First column, from 0.'),
    y: z.number().int().min(0).max(BOARD_LIMITS.maxRow).describe('First row, from 0.'),
    w: z.number().int().min(1).max(GRID_COLUMNS).describe('Columns wide.'),
    h: z.number().int().min(1).max(BOARD_LIMITS.maxTileHeight).describe('Rows high.'),
  })
  .refine((layout) => layout.x + layout.w <= GRID_COLUMNS, {
    message: `the tile reaches past the grid's ${GRID_COLUMNS} columns: x + w must be at most ${GRID_COLUMNS}`,
    path: ['w'],
  })
  .describe(`The tile's place on a grid ${GRID_COLUMNS} columns wide.`);
export type TTileLayout = z.infer<typeof ZTileLayout>;

const ZTileTitle = ZStorableString.trim().min(1, 'give the tile a title').max(100, 'a tile title has at most 100 characters');

export const ZTileInput = z.object({
  id: z.uuid().optional().describe("The tile's id: the client's own UUID, or one the server gives it."),
  title: ZTileTitle,
  layout: ZTileLayout,
  insight: ZInsightInput,
});
export type TTileInput = z.input<typeof ZTileInput>;

export const ZTile = z.object({ id: z.string(), title: z.string(), layout: ZTileLayout, insight: ZInsight });
export type TTile = z.infer<typeof ZTile>;

const ZBoardName = ZStorableString.trim().min(1, 'give the board a name').max(100, 'a board name has at most 100 characters');

const ZTiles = z
  .array(ZTileInput)
  .max(BOARD_LIMITS.maxTiles, `a board holds at most ${BOARD_LIMITS.maxTiles} tiles`)
  .superRefine((tiles, ctx) => {
    const seen = new Set<string>();
    tiles.forEach((tile, index) => {
      if (tile.id === undefined) return;
      if (seen.has(tile.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `two tiles have the id ${tile.id}` });
      seen.add(tile.id);
    });
  });

/** A board's id: a row id as PostgreSQL's integer holds it. */
const ZBoardId = z.number().int().positive().max(2_147_483_647);

export const ZCreateBoardRequest = z.object({ name: ZBoardName, tiles: ZTiles.default([]) });
export type TCreateBoardRequest = z.infer<typeof ZCreateBoardRequest>;

export const ZUpdateBoardRequest = z
  .object({ id: ZBoardId, name: ZBoardName.optional(), tiles: ZTiles.optional().describe('Every tile of the board: the ones left out are removed.') })
  .refine((request) => request.name !== undefined || request.tiles !== undefined, { message: 'give a new name, new tiles, or both' });
export type TUpdateBoardRequest = z.infer<typeof ZUpdateBoardRequest>;

export const ZBoardIdRequest = z.object({ id: ZBoardId });

export const ZBoard = z.object({
  id: z.number().int(),
  name: z.string(),
  tiles: z.array(ZTile),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type TBoard = z.infer<typeof ZBoard>;

export const ZBoardSummary = ZBoard.omit({ tiles: true }).extend({ tileCount: z.number().int() });
export type TBoardSummary = z.infer<typeof ZBoardSummary>;
export const ZBoardList = z.array(ZBoardSummary).describe('Every board of the tenant, oldest first.');

export const ZDeleteBoardResponse = z.object({ id: z.number().int(), deleted: z.literal(true) });
