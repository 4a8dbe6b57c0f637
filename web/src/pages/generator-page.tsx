import { Alert, Button, Group, MultiSelect, NumberInput, Paper, Progress, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { KpiCard } from '../components/kpi-card.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useGenerator } from '../hooks/use-generator.ts';
import { usePermission } from '../hooks/use-permission.ts';
import { formatCount } from '../lib/format.ts';
import { GENERATOR_DEVICES, GENERATOR_EVENT_TYPES, type TGeneratorDevice, type TGeneratorSettings } from '../lib/generate-events.ts';
import { isRunBusy, useGeneratorStore } from '../stores/generator-store.ts';

const NUMBERS: Array<{ field: keyof TGeneratorSettings; label: string; min: number; max: number; description?: string }> = [
  { field: 'users', label: 'Users', min: 1, max: 100_000 },
  { field: 'spreadDays', label: 'Spread over days', min: 0, max: 90, description: '0: all happen now' },
  { field: 'batchSize', label: 'Events per batch', min: 1, max: 1_000 },
  { field: 'batches', label: 'Batches', min: 1, max: 10_000 },
  { field: 'rate', label: 'Batches per second', min: 0.1, max: 100 },
];

export function GeneratorPage() {
  const settings = useGeneratorStore((state) => state.settings);
  const setSettings = useGeneratorStore((state) => state.setSettings);
  const ingestKey = useGeneratorStore((state) => state.ingestKey);
  const setIngestKey = useGeneratorStore((state) => state.setIngestKey);
  const ingest = usePermission('ingest');
  const { run, start, cancel } = useGenerator();
  const signedInMayIngest = ingest.allowed;
  const busy = isRunBusy(run);
  const percent = run.batchesTotal === 0 ? 0 : Math.round((run.batchesSent / run.batchesTotal) * 100);
  const canSend = settings.eventTypes.length > 0 && settings.devices.length > 0 && (signedInMayIngest || ingestKey.trim() !== '');

  return (
    <Stack gap="lg">
      <PageHeader
        title="Generator"
        description="Send realistic traffic to this tenant. Refused batches (429, 503) are sent again after the wait the server asks for, with the same message ids, so nothing is stored twice."
      />
      <Paper withBorder p="md">
        <Stack>
          <Group grow align="flex-start">
            <MultiSelect
              label="Event types"
              data={[...GENERATOR_EVENT_TYPES]}
              value={settings.eventTypes}
              onChange={(eventTypes) => setSettings({ eventTypes })}
              data-testid="generator-event-types"
            />
            <MultiSelect
              label="Devices"
              data={[...GENERATOR_DEVICES]}
              value={settings.devices}
              onChange={(devices) => setSettings({ devices: devices as TGeneratorDevice[] })}
            />
          </Group>
          <SimpleGrid cols={{ base: 2, md: 5 }}>
            {NUMBERS.map(({ field, label, min, max, description }) => (
              <NumberInput
                key={field}
                label={label}
                description={description}
                min={min}
                max={max}
                value={settings[field] as number}
                onChange={(value) => setSettings({ [field]: Math.min(max, Math.max(min, Number(value) || min)) })}
                data-testid={`generator-${field}`}
              />
            ))}
          </SimpleGrid>
          {signedInMayIngest ? null : (
            <TextInput
              label="Ingest key"
              description={`${ingest.whyNot ?? 'This session cannot send events.'} Paste a key with the ingest scope (kept in this tab only).`}
              value={ingestKey}
              onChange={(change) => setIngestKey(change.currentTarget.value)}
              data-testid="generator-ingest-key"
            />
          )}
          <Group>
            <Button
              onClick={() => void start(settings, signedInMayIngest ? undefined : ingestKey.trim())}
              disabled={busy || !canSend}
              data-testid="generator-send"
            >
              Send {formatCount(settings.batches * settings.batchSize)} events
            </Button>
            {busy ? (
              <Button variant="light" color="red" onClick={cancel} data-testid="generator-cancel">
                Cancel
              </Button>
            ) : null}
          </Group>
        </Stack>
      </Paper>

      {run.status === 'idle' ? null : (
        <Stack>
          <Stack gap={4}>
            <Group justify="space-between">
              <Text size="sm" data-testid="generator-status">
                {run.status === 'done'
                  ? 'Done'
                  : run.status === 'cancelled'
                    ? 'Cancelled'
                    : run.status === 'failed'
                      ? 'Stopped'
                      : `Sending… batch ${run.batchesSent + 1} of ${run.batchesTotal}`}
              </Text>
              <Text size="sm" fw={700} data-testid="generator-percent">
                {percent}%
              </Text>
            </Group>
            <Progress value={percent} animated={busy} data-testid="generator-progress" />
          </Stack>
          {run.message ? (
            <Alert color={run.status === 'failed' ? 'red' : 'yellow'} variant="light" data-testid="generator-message">
              {run.message}
            </Alert>
          ) : null}
          <SimpleGrid cols={{ base: 2, md: 5 }}>
            <KpiCard label="Accepted" value={formatCount(run.accepted)} testId="generator-accepted" />
            <KpiCard label="Duplicates" value={formatCount(run.duplicates)} testId="generator-duplicates" />
            <KpiCard label="Rejected" value={formatCount(run.rejected)} testId="generator-rejected" />
            <KpiCard label="Queued" value={formatCount(run.queued)} testId="generator-queued" caption="spooled while the database was out" />
            <KpiCard label="Resent" value={formatCount(run.retries)} testId="generator-retries" caption="after 429 / 503" />
          </SimpleGrid>
        </Stack>
      )}
    </Stack>
  );
}
