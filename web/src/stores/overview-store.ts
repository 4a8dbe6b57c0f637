import { create } from 'zustand';
import type { TGranularity } from '@pulse/shared/analytics';
import type { TDatePreset } from '../lib/date-presets.ts';

/** 'auto': hours for ranges up to two days, days beyond. */
export type TGranularityChoice = 'auto' | Extract<TGranularity, 'hour' | 'day' | 'week'>;

interface OverviewState {
  preset: TDatePreset;
  setPreset: (preset: TDatePreset) => void;
  granularity: TGranularityChoice;
  setGranularity: (granularity: TGranularityChoice) => void;
  /** IANA zone the chart's buckets start in; the browser's own by default. */
  timeZone: string;
  setTimeZone: (timeZone: string) => void;
}

export const useOverviewStore = create<OverviewState>()((set) => ({
  preset: '7d',
  setPreset: (preset) => set({ preset }),
  granularity: 'auto',
  setGranularity: (granularity) => set({ granularity }),
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  setTimeZone: (timeZone) => set({ timeZone }),
}));

export const useOverviewPreset = () => useOverviewStore((state) => state.preset);
export const useSetOverviewPreset = () => useOverviewStore((state) => state.setPreset);
