import { rangeForPreset, type TDatePreset } from '../lib/date-presets.ts';
import { trpc } from '../lib/trpc.ts';

export function useSummary(preset: TDatePreset) {
  return trpc.analytics.summary.useQuery(rangeForPreset(preset), {
    meta: { preset },
    // The key moves on each minute; keep the old numbers meanwhile, but never show another preset's numbers.
    placeholderData: (previous, previousQuery) => (previousQuery?.meta?.preset === preset ? previous : undefined),
  });
}
