import { Button, Checkbox, Group, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import type { TTenantSettings } from '@pulse/shared/tenant-settings';
import { useState } from 'react';
import type { TPermissionCheck } from '../lib/permissions.ts';
import { SettingNotes } from './setting-notes.tsx';

interface RetentionSettingProps {
  settings: TTenantSettings;
  check: TPermissionCheck;
  /** null: the plan's maximum, following the plan when it changes. */
  onSave: (retentionDays: number | null) => void;
  saving: boolean;
  error: unknown;
}

/** How many days of events the tenant keeps: the plan's maximum, or fewer. */
export function RetentionSetting({ settings, check, onSave, saving, error }: RetentionSettingProps) {
  const [planMaximum, setPlanMaximum] = useState(settings.retentionIsPlanMaximum);
  const [days, setDays] = useState(settings.retentionDays);
  const unchanged = planMaximum ? settings.retentionIsPlanMaximum : !settings.retentionIsPlanMaximum && days === settings.retentionDays;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={4}>Data retention</Title>
        <Text size="sm" data-testid="settings-retention-now">
          Events are kept for {settings.retentionDays} days{settings.retentionIsPlanMaximum ? ", the plan's maximum" : ''}; older days are deleted by the
          server's regular maintenance.
        </Text>
        <Checkbox
          label={`The plan's maximum (${settings.maxRetentionDays} days), following the plan when it changes`}
          checked={planMaximum}
          onChange={(event) => setPlanMaximum(event.currentTarget.checked)}
          disabled={!check.allowed}
          data-testid="settings-retention-plan-maximum"
        />
        <Group align="flex-end">
          <NumberInput
            label="Days kept"
            min={1}
            max={settings.maxRetentionDays}
            value={planMaximum ? settings.maxRetentionDays : days}
            onChange={(value) => setDays(Math.min(settings.maxRetentionDays, Math.max(1, Number(value) || 1)))}
            disabled={!check.allowed || planMaximum}
            w={140}
            data-testid="settings-retention-days"
          />
          <Button
            onClick={() => onSave(planMaximum ? null : days)}
            disabled={!check.allowed || unchanged}
            loading={saving}
            data-testid="settings-retention-save"
          >
            Save retention
          </Button>
        </Group>
        <SettingNotes check={check} error={error} testId="settings-retention-note" />
      </Stack>
    </Paper>
  );
}
