import { create } from 'zustand';
import type { TGranularity } from '@pulse/shared/analytics';
import { rangeForPreset, type TCustomDays, type TDatePreset } from '../lib/date-presets.ts';

/** 'auto': hours for ranges up to two days, days beyond. */
export type TGranularityChoice = 'auto' | Extract<TGranularity, 'hour' | 'day' | 'week'>;

interface OverviewState {
  preset: TDatePreset;
  setPreset: (preset: TDatePreset) => void;
  /** The days of the "Custom" preset. */
  custom: TCustomDays;
  setCustom: (custom: Partial<TCustomDays>) => void;
  granularity: TGranularityChoice;
  setGranularity: (granularity: TGranularityChoice) => void;
  /** IANA zone the chart's buckets start in; the browser's own by default. */
  timeZone: string;
  setTimeZone: (timeZone: string) => void;
}

export const useOverviewStore = create<OverviewState>()((set) => ({
  preset: '7d',
  setPreset: (preset) => set({ preset }),
  custom: { firstDay: localDay(-6), lastDay: localDay(0) },
  setCustom: (custom) => set((state) => ({ custom: { ...state.custom, ...custom } })),
  granularity: 'auto',
  setGranularity: (granularity) => set({ granularity }),
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  setTimeZone: (timeZone) => set({ timeZone }),
}));

export const useOverviewPreset = () => useOverviewStore((state) => state.preset);
export const useSetOverviewPreset = () => useOverviewStore((state) => state.setPreset);

/** The local date `offsetDays` from today, as "YYYY-MM-DD". */
function localDay(offsetDays: number): string {
  const day = new Date();
  day.setDate(day.getDate() + offsetDays);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

/** The range the Overview shows, and a key that changes only when the choice does (not each minute). */
export function useOverviewRange() {
  const preset = useOverviewStore((state) => state.preset);
  const custom = useOverviewStore((state) => state.custom);
  return { preset, range: rangeForPreset(preset, custom), choiceKey: preset === 'custom' ? `custom:${custom.firstDay}:${custom.lastDay}` : preset };
}
