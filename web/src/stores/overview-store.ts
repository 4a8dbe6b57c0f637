import { create } from 'zustand';
import type { TDatePreset } from '../lib/date-presets.ts';

interface OverviewState {
  preset: TDatePreset;
  setPreset: (preset: TDatePreset) => void;
}

export const useOverviewStore = create<OverviewState>()((set) => ({
  preset: '7d',
  setPreset: (preset) => set({ preset }),
}));

export const useOverviewPreset = () => useOverviewStore((state) => state.preset);
export const useSetOverviewPreset = () => useOverviewStore((state) => state.setPreset);
