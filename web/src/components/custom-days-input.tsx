import { Group, Loader, Stack, Text, TextInput } from '@mantine/core';
import type { TCustomDays } from '../lib/date-presets.ts';
import { describeError } from '../lib/trpc-errors.ts';

interface CustomDaysInputProps {
  /** The days as typed. */
  days: TCustomDays;
  onChange: (days: Partial<TCustomDays>) => void;
  /** Why the API refused these days; the tiles meanwhile keep the last days it accepted. */
  refusal: unknown;
  checking: boolean;
}

/** The first and last day of the "Custom" range, with the API's reason beside them when it refuses them. */
export function CustomDaysInput({ days, onChange, refusal, checking }: CustomDaysInputProps) {
  const refused = refusal !== undefined;
  return (
    <Stack gap={4} align="flex-end">
      <Group gap="xs" align="flex-end">
        {checking ? <Loader size="xs" mb={10} /> : null}
        <TextInput
          type="date"
          label="First day"
          value={days.firstDay}
          error={refused}
          onChange={(change) => change.currentTarget.value && onChange({ firstDay: change.currentTarget.value })}
          data-testid="overview-first-day"
        />
        <TextInput
          type="date"
          label="Last day"
          value={days.lastDay}
          error={refused}
          onChange={(change) => change.currentTarget.value && onChange({ lastDay: change.currentTarget.value })}
          data-testid="overview-last-day"
        />
      </Group>
      {refused ? (
        <Text size="sm" c="red" role="alert" data-testid="overview-range-error">
          These days cannot be shown ({describeError(refusal).detail}); the page still shows the last days that could.
        </Text>
      ) : null}
    </Stack>
  );
}
