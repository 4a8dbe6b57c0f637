import type { PulseInputs } from '@pulse/client';
import type { TBoardSummary, TInsight, TTile } from '@pulse/shared/boards';
import { keepPreviousData, skipToken } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { boardIdInQuery, boardQuery } from '../lib/board-address.ts';
import { rangeOfTilePreset } from '../lib/board-range.ts';
import { rangeMsOf, resolveGranularity, type TGranularityChoice } from '../lib/granularity-options.ts';
import { hrefFor, pageQueryOf } from '../lib/routes.ts';
import { trpc } from '../lib/trpc.ts';
import { usePageQuery } from './use-hash-route.ts';

/** Board edits show their refusals beside the control that made them, not as a notice. */
const SHOWN_IN_PLACE = { meta: { errorShownInPlace: true } };

function boardInAddress(): number | undefined {
  return boardIdInQuery(pageQueryOf(window.location.hash, 'boards'));
}

/** Shows a board (none: the first), as a new history entry: Back returns to the board before. */
export function showBoard(id: number | undefined): void {
  window.location.hash = hrefFor('boards', boardQuery(id));
}

/** The board the address names while the tenant has it, else the tenant's first board. */
export function useSelectedBoardId(boards: readonly TBoardSummary[] | undefined): number | undefined {
  const addressed = boardIdInQuery(usePageQuery('boards'));
  if (!boards) return undefined;
  return boards.some((board) => board.id === addressed) ? addressed : boards[0]?.id;
}

export function useBoardList() {
  return trpc.boards.list.useQuery();
}

export function useBoard(id: number | undefined) {
  return trpc.boards.get.useQuery(id === undefined ? skipToken : { id });
}

/** A new board, shown once the list has it; a refusal (the plan's limit) is the caller's to show. */
export function useCreateBoard() {
  const utils = trpc.useUtils();
  return trpc.boards.create.useMutation({
    ...SHOWN_IN_PLACE,
    onSuccess: async (board) => {
      utils.boards.get.setData({ id: board.id }, board);
      await utils.boards.list.invalidate();
      showBoard(board.id);
    },
  });
}

export function useRenameBoard() {
  const utils = trpc.useUtils();
  return trpc.boards.update.useMutation({
    ...SHOWN_IN_PLACE,
    onSuccess: (board) => {
      utils.boards.get.setData({ id: board.id }, board);
      return utils.boards.list.invalidate();
    },
  });
}

export function useDeleteBoard() {
  const utils = trpc.useUtils();
  return trpc.boards.delete.useMutation({
    ...SHOWN_IN_PLACE,
    onSuccess: async ({ id }) => {
      await utils.boards.list.invalidate();
      // The list no longer has it: the page shows the first board instead.
      if (boardInAddress() === id) showBoard(undefined);
    },
  });
}

interface TPendingSave {
  tiles: TTile[];
  /** Each resolves with the refusal of the save that carried its tiles (undefined once saved). */
  settled: Array<(refusal: unknown) => void>;
}

/**
 * Saves a board's tiles (all of them: boards.update replaces the list). A change shows at once; saves go one
 * at a time, and changes made during one are saved together after it, so the last change is the one the
 * server keeps. A refused save puts back what the server holds (the changes made on top of it with it).
 */
export function useTileSaver(boardId: number) {
  const utils = trpc.useUtils();
  const { mutateAsync } = trpc.boards.update.useMutation(SHOWN_IN_PLACE);
  const running = useRef(false);
  const waiting = useRef<TPendingSave | null>(null);
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<unknown>(undefined);

  const run = async (save: TPendingSave): Promise<void> => {
    running.current = true;
    setSaving(true);
    let failure: unknown = undefined;
    try {
      const saved = await mutateAsync({ id: boardId, tiles: save.tiles });
      // A change made meanwhile stays shown until it is saved too.
      if (!waiting.current) utils.boards.get.setData({ id: boardId }, saved);
    } catch (caught) {
      failure = caught;
    }
    save.settled.forEach((settle) => settle(failure));
    if (failure !== undefined) {
      waiting.current?.settled.forEach((settle) => settle(failure));
      waiting.current = null;
      setRefusal(failure);
      await utils.boards.get.invalidate({ id: boardId });
    }
    const next = waiting.current;
    waiting.current = null;
    if (next) return run(next);
    running.current = false;
    setSaving(false);
    void utils.boards.list.invalidate();
  };

  const save = (tiles: TTile[]): Promise<unknown> =>
    new Promise((settle) => {
      void utils.boards.get.cancel({ id: boardId });
      utils.boards.get.setData({ id: boardId }, (board) => board && { ...board, tiles });
      setRefusal(undefined);
      if (running.current) waiting.current = { tiles, settled: [...(waiting.current?.settled ?? []), settle] };
      else void run({ tiles, settled: [settle] });
    });

  return { save, saving, refusal };
}

/** The question a tile asks now: its saved request with its preset's range (the API wants both). */
function askedNow<TInput>(insight: TInsight): TInput {
  return { ...insight.input, ...rangeOfTilePreset(insight.rangePreset) } as TInput;
}

// A tile keeps its last answer while the next one loads (the minute turning over asks anew).
const TILE_ANSWER = { placeholderData: keepPreviousData };

type TAnalyticsInputs = PulseInputs['analytics'];

export const useSummaryTile = (insight: TInsight) => trpc.analytics.summary.useQuery(askedNow<TAnalyticsInputs['summary']>(insight), TILE_ANSWER);
export const useTopPagesTile = (insight: TInsight) => trpc.analytics.topPages.useQuery(askedNow<TAnalyticsInputs['topPages']>(insight), TILE_ANSWER);
export const useBreakdownTile = (insight: TInsight) => trpc.analytics.breakdown.useQuery(askedNow<TAnalyticsInputs['breakdown']>(insight), TILE_ANSWER);
export const usePropertyBreakdownTile = (insight: TInsight) =>
  trpc.analytics.propertyBreakdown.useQuery(askedNow<TAnalyticsInputs['propertyBreakdown']>(insight), TILE_ANSWER);
export const useGoalsTile = (insight: TInsight) => trpc.analytics.goals.useQuery(askedNow<TAnalyticsInputs['goals']>(insight), TILE_ANSWER);
export const useFunnelTile = (insight: TInsight) => trpc.analytics.funnel.useQuery(askedNow<TAnalyticsInputs['funnel']>(insight), TILE_ANSWER);
export const useRetentionTile = (insight: TInsight) => trpc.analytics.retention.useQuery(askedNow<TAnalyticsInputs['retention']>(insight), TILE_ANSWER);

/** A chart's saved granularity, fitted to the range as it is now ("today" at 00:30 has no two hours yet). */
export function useTimeseriesTile(insight: TInsight) {
  const asked = askedNow<TAnalyticsInputs['timeseries']>(insight);
  const granularity = resolveGranularity((asked.granularity ?? 'day') as TGranularityChoice, rangeMsOf(asked));
  return trpc.analytics.timeseries.useQuery({ ...asked, granularity }, TILE_ANSWER);
}
