import { SegmentedControl, Stack } from '@mantine/core';
import { useCustomDaysCheck } from '../hooks/use-summary.ts';
import { DATE_PRESETS, type TDatePreset } from '../lib/date-presets.ts';
import { useOverviewPreset, useOverviewStore, useSetOverviewPreset } from '../stores/overview-store.ts';
import { CustomDaysInput } from './custom-days-input.tsx';

/**
 * The dashboard's range (the Overview's: one choice for every page), for the Funnels and Goals pages: the
 * presets, and with "Custom" the days, put to the API before they become the range.
 */
export function FunnelRangePicker() {
  const preset = useOverviewPreset();
  const setPreset = useSetOverviewPreset();
  const customDraft = useOverviewStore((state) => state.customDraft);
  const setCustomDraft = useOverviewStore((state) => state.setCustomDraft);
  const customCheck = useCustomDaysCheck([]);
  return (
    <Stack gap="xs" align="flex-end">
      <SegmentedControl<TDatePreset> data={[...DATE_PRESETS]} value={preset} onChange={setPreset} data-testid="range-preset" />
      {preset === 'custom' ? (
        <CustomDaysInput days={customDraft} onChange={setCustomDraft} refusal={customCheck.refusal} checking={customCheck.checking} />
      ) : null}
    </Stack>
  );
}
