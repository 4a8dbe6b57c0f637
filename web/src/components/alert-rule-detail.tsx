import { Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { TAlertHistory, TAlertRule, TWebhookDelivery } from '@pulse/shared/alerts';
import type { TGoal } from '@pulse/shared/goals';
import { chartPoints, describeCondition, describeMetric, stateChanges, thresholdOf } from '../lib/alert-rules.ts';
import { AlertDeliveriesTable } from './alert-deliveries-table.tsx';
import { AlertHistoryTable } from './alert-history-table.tsx';
import { AlertRuleChart } from './alert-rule-chart.tsx';
import { ErrorAlert } from './error-alert.tsx';

interface AlertRuleDetailProps {
  rule: TAlertRule;
  goals: TGoal[] | undefined;
  history: { data?: TAlertHistory; error: unknown; isPending: boolean };
  deliveries: { data?: TWebhookDelivery[]; error: unknown };
}

/** One rule: its windows on a chart, the changes of state they made, and what its webhook was sent. */
export function AlertRuleDetail({ rule, goals, history, deliveries }: AlertRuleDetailProps) {
  const evaluations = history.data?.evaluations ?? [];
  return (
    <Paper withBorder p="md" data-testid="alert-detail">
      <Stack gap="md">
        <Stack gap={2}>
          <Title order={4}>{rule.name}</Title>
          <Text size="sm" c="dimmed">
            {describeMetric(rule.metric, rule.window, goals)}, breaching {describeCondition(rule.condition)}
          </Text>
        </Stack>
        {history.error ? <ErrorAlert error={history.error} /> : null}
        {history.isPending ? (
          <Skeleton height={240} />
        ) : evaluations.length === 0 ? (
          <Text c="dimmed" size="sm" data-testid="alert-chart-empty">
            No window judged yet: the first is judged once the window that closed last has settled.
          </Text>
        ) : (
          <AlertRuleChart points={chartPoints(evaluations)} threshold={thresholdOf(rule)} />
        )}
        <Title order={5}>Changes of state</Title>
        {history.data ? <AlertHistoryTable changes={stateChanges(evaluations)} /> : null}
        <Title order={5}>Webhook deliveries</Title>
        {deliveries.error ? <ErrorAlert error={deliveries.error} /> : null}
        {deliveries.data ? <AlertDeliveriesTable deliveries={deliveries.data} /> : null}
      </Stack>
    </Paper>
  );
}
