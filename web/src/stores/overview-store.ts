import { create } from 'zustand';
import type { TFilters } from '@pulse/shared/filters';
import { rangeForPreset, type TCustomDays, type TDatePreset } from '../lib/date-presets.ts';
import { filtersFromQuery, filtersToQuery } from '../lib/filter-hash.ts';
import { fitGranularityChoice, rangeMsOf, type TGranularityChoice } from '../lib/granularity-options.ts';
import { hrefFor, splitHash } from '../lib/routes.ts';

export type { TGranularityChoice } from '../lib/granularity-options.ts';

interface OverviewState {
  preset: TDatePreset;
  setPreset: (preset: TDatePreset) => void;
  /** The days of the "Custom" preset the API accepted: the ones the Overview shows. */
  custom: TCustomDays;
  /** The days as typed, until the API accepts them (then they become `custom`) or refuses them. */
  customDraft: TCustomDays;
  setCustomDraft: (days: Partial<TCustomDays>) => void;
  acceptCustom: (custom: TCustomDays) => void;
  granularity: TGranularityChoice;
  setGranularity: (granularity: TGranularityChoice) => void;
  /** IANA zone the chart's buckets start in; the browser's own by default. */
  timeZone: string;
  setTimeZone: (timeZone: string) => void;
  /** Conditions every tile counts by (AND), as the address names them. */
  filters: TFilters;
  /** Writes the filters to the address too, as a new history entry: Back takes a filter off again. */
  setFilters: (filters: TFilters) => void;
}

const defaultDays: TCustomDays = { firstDay: localDay(-6), lastDay: localDay(0) };

export const useOverviewStore = create<OverviewState>()((set) => ({
  preset: '7d',
  // A granularity the new range cannot be charted by becomes the nearest one it can.
  setPreset: (preset) => set((state) => ({ preset, granularity: fitGranularityChoice(state.granularity, rangeMsOf(rangeForPreset(preset, state.custom))) })),
  custom: defaultDays,
  customDraft: defaultDays,
  setCustomDraft: (days) => set((state) => ({ customDraft: { ...state.customDraft, ...days } })),
  acceptCustom: (custom) => set((state) => ({ custom, granularity: fitGranularityChoice(state.granularity, rangeMsOf(rangeForPreset(state.preset, custom))) })),
  granularity: 'auto',
  setGranularity: (granularity) => set({ granularity }),
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  setTimeZone: (timeZone) => set({ timeZone }),
  filters: filtersInAddress(),
  setFilters: (filters) => {
    set({ filters });
    window.location.hash = hrefFor('overview', filtersToQuery(filters));
  },
}));

function filtersInAddress(): TFilters {
  const { path, query } = splitHash(window.location.hash);
  return path === 'overview' ? filtersFromQuery(query) : [];
}

/** Takes the filters from the address (on load, Back, a shared link); the Overview is then what the link says. */
export function syncFiltersFromAddress(): void {
  const filters = filtersInAddress();
  if (filtersToQuery(filters) !== filtersToQuery(useOverviewStore.getState().filters)) useOverviewStore.setState({ filters });
}

export const useOverviewPreset = () => useOverviewStore((state) => state.preset);
export const useSetOverviewPreset = () => useOverviewStore((state) => state.setPreset);
export const useOverviewFilters = () => useOverviewStore((state) => state.filters);

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
  return { preset, range: rangeForPreset(preset, custom), choiceKey: preset === 'custom' ? customChoiceKey(custom) : preset };
}

export function customChoiceKey({ firstDay, lastDay }: TCustomDays): string {
  return `custom:${firstDay}:${lastDay}`;
}
