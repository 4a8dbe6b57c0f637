import type { TSummaryRequest } from '@pulse/shared/analytics';

export const DATE_PRESETS = [
  { value: 'today', label: 'Today' },
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 d' },
  { value: '30d', label: '30 d' },
  { value: '90d', label: '90 d' },
  { value: 'custom', label: 'Custom' },
] as const;

export type TDatePreset = (typeof DATE_PRESETS)[number]['value'];

/** Whole local days, first and last included ("YYYY-MM-DD", as a date input gives them). */
export interface TCustomDays {
  firstDay: string;
  lastDay: string;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const LOOKBACK_MS: Record<Exclude<TDatePreset, 'today' | 'custom'>, number> = {
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
  '90d': 90 * DAY_MS,
};

/**
 * The half-open range [from, to) a preset covers. `to` is the start of the next minute, so every render
 * within one minute yields the same range and therefore the same query key.
 */
export function rangeForPreset(preset: TDatePreset, custom: TCustomDays, now: Date = new Date()): TSummaryRequest {
  if (preset === 'custom') return rangeForDays(custom);
  const to = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
  const from = preset === 'today' ? new Date(now.getFullYear(), now.getMonth(), now.getDate()) : new Date(to.getTime() - LOOKBACK_MS[preset]);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** From local midnight of the first day to local midnight after the last (either order). */
export function rangeForDays({ firstDay, lastDay }: TCustomDays): TSummaryRequest {
  const [start, end] = [firstDay, lastDay].sort();
  const from = new Date(`${start}T00:00:00`);
  const to = new Date(`${end}T00:00:00`);
  to.setDate(to.getDate() + 1);
  return { from: from.toISOString(), to: to.toISOString() };
}
