import type { TSummaryRequest } from '@pulse/shared/analytics';
import { RANGE_PRESETS, type TRangePreset } from '@pulse/shared/boards';
import { DATE_PRESETS, rangeForPreset } from './date-presets.ts';

/** A tile's presets, labelled as the Overview labels them ("7 d"). */
export const TILE_PRESETS = RANGE_PRESETS.map((value) => ({ value, label: presetLabel(value) }));

export function presetLabel(preset: TRangePreset): string {
  return DATE_PRESETS.find((item) => item.value === preset)?.label ?? preset;
}

// Only the Overview's "custom" preset reads fixed days; a tile's presets never do.
const NO_DAYS = { firstDay: '', lastDay: '' };

/**
 * The range a tile's preset covers when the board is shown: the Overview's own ranges, so the same preset asks
 * the same (cached) question on both pages, and every render within one minute asks the same one.
 */
export function rangeOfTilePreset(preset: TRangePreset, now: Date = new Date()): TSummaryRequest {
  return rangeForPreset(preset, NO_DAYS, now);
}

const DAY_MS = 86_400_000;
const PRESET_DAYS: Record<TRangePreset, number> = { today: 1, '24h': 1, '7d': 7, '30d': 30, '90d': 90 };

/** How long a preset's range is at most ("today" a whole day, once it has passed): what a chart of it is fitted to. */
export function presetSpanMs(preset: TRangePreset): number {
  return PRESET_DAYS[preset] * DAY_MS;
}
