import { Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { PLANS, type TPlan } from '@pulse/shared/plans';
import { useState } from 'react';
import type { TPermissionCheck } from '../lib/permissions.ts';
import { SettingNotes } from './setting-notes.tsx';

interface PlanSettingProps {
  plan: TPlan;
  check: TPermissionCheck;
  onSave: (plan: TPlan) => void;
  saving: boolean;
  error: unknown;
}

/** The tenant's plan: it sets rate limits, the longest retention, how many boards and events it keeps. */
export function PlanSetting({ plan, check, onSave, saving, error }: PlanSettingProps) {
  const [chosen, setChosen] = useState<TPlan>(plan);
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={4}>Plan</Title>
        <Group align="flex-end">
          <Select
            label="Plan"
            data={[...PLANS]}
            value={chosen}
            onChange={(value) => value && setChosen(value as TPlan)}
            allowDeselect={false}
            disabled={!check.allowed}
            w={180}
            data-testid="settings-plan"
          />
          <Button onClick={() => onSave(chosen)} disabled={!check.allowed || chosen === plan} loading={saving} data-testid="settings-plan-save">
            Change plan
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          The plan sets the rate limits, the longest retention, and how many boards and events a month the tenant keeps.
        </Text>
        <SettingNotes check={check} error={error} testId="settings-plan-note" />
      </Stack>
    </Paper>
  );
}
