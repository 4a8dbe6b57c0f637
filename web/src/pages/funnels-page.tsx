import { Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { DegradedBadge } from '../components/degraded-badge.tsx';
import { CsvDownloadButton } from '../components/csv-download-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { FunnelBreakdownTable } from '../components/funnel-breakdown-table.tsx';
import { FunnelBuilder } from '../components/funnel-builder.tsx';
import { FunnelChart } from '../components/funnel-chart.tsx';
import { FunnelFilters } from '../components/funnel-filters.tsx';
import { FunnelRangePicker } from '../components/funnel-range-picker.tsx';
import { FunnelStepsTable } from '../components/funnel-steps-table.tsx';
import { funnelRequestOf, useFunnel, useFunnelInAddress } from '../hooks/use-funnel.ts';
import { formatTimeSpan } from '../lib/time-span.ts';
import { useOverviewRange } from '../stores/overview-store.ts';

export function FunnelsPage() {
  const { range, choiceKey } = useOverviewRange();
  const { funnel, funnelKey, showFunnel } = useFunnelInAddress();
  const answer = useFunnel(range, choiceKey, funnel);
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <Group>
          <Title order={2}>Funnels</Title>
          <DegradedBadge degraded={answer.data?.degraded} />
        </Group>
        <FunnelRangePicker />
      </Group>
      {/* A new funnel in the address (shown, Back, a pasted link) starts the builder over from it. */}
      <FunnelBuilder key={funnelKey} shown={funnel} range={range} onShow={showFunnel} />
      {funnel === null ? null : <FunnelFilters funnel={funnel} range={range} onShow={showFunnel} />}
      {funnel === null ? (
        <Text c="dimmed" data-testid="funnel-none">
          Choose what visitors do at each step (an event, or a page), then Show funnel: you will see how many got how far, and how long it took them.
        </Text>
      ) : (
        <FunnelResult answer={answer} csvInput={funnelRequestOf(range, funnel)} />
      )}
    </Stack>
  );
}

interface FunnelResultProps {
  answer: ReturnType<typeof useFunnel>;
  csvInput: unknown;
}

function FunnelResult({ answer, csvInput }: FunnelResultProps) {
  const { data } = answer;
  if (answer.isError && !data) return <ErrorAlert error={answer.error} onRetry={() => void answer.refetch()} />;
  if (!data) return <Skeleton height={360} data-testid="funnel-loading" />;
  const entrants = data.steps[0]?.visitors ?? 0;
  const labels = data.steps.map((step) => step.label);
  return (
    <Stack gap="lg">
      <Paper withBorder p="md" data-testid="funnel-result">
        <Group justify="space-between" mb="sm">
          <Title order={4}>
            {labels.join(' → ')}{' '}
            <Text span c="dimmed" size="sm">
              within {formatTimeSpan(data.windowSeconds)} of step 1
            </Text>
          </Title>
          <CsvDownloadButton procedure="analytics.funnel" input={csvInput} testId="funnel-csv" />
        </Group>
        {entrants === 0 ? (
          <Text c="dimmed" data-testid="funnel-empty">
            No visitor did step 1 ({labels[0]}) in this range: choose a longer range, or another first step.
          </Text>
        ) : (
          <>
            <FunnelChart steps={data.steps} />
            <FunnelStepsTable steps={data.steps} />
          </>
        )}
      </Paper>
      {data.breakdown ? (
        <Paper withBorder p="md">
          <Title order={4} mb="sm">
            By step 1&apos;s value
          </Title>
          <FunnelBreakdownTable breakdown={data.breakdown} stepLabels={labels} />
        </Paper>
      ) : null}
    </Stack>
  );
}
