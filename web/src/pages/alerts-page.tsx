import { Button, Group, Paper, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import type { TAlertRule, TCreateAlertRuleRequest } from '@pulse/shared/alerts';
import { useState } from 'react';
import { AlertRuleDetail } from '../components/alert-rule-detail.tsx';
import { AlertRuleForm } from '../components/alert-rule-form.tsx';
import { AlertRuleTable } from '../components/alert-rule-table.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PermissionAlert } from '../components/permission-alert.tsx';
import { WebhookSection } from '../components/webhook-section.tsx';
import { useAlertDeliveries, useAlertHistory, useAlertRuleChanges, useAlertRules, useWebhooks } from '../hooks/use-alerts.ts';
import { useGoalList } from '../hooks/use-goals.ts';
import { usePermission } from '../hooks/use-permission.ts';
import { describeRuleLimit, ruleLimitReason } from '../lib/alert-rules.ts';

export function AlertsPage() {
  const editInsights = usePermission('editInsights');
  const rules = useAlertRules();
  const changes = useAlertRuleChanges();
  const webhooks = useWebhooks(editInsights.allowed);
  // Rules on goals are described, and chosen, by the goals' names.
  const goals = useGoalList().data;
  // 'new': the form is open for a new rule; a rule: open to edit it; null: closed.
  const [editing, setEditing] = useState<TAlertRule | 'new' | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const history = useAlertHistory(selectedId);
  const deliveries = useAlertDeliveries(selectedId);
  const list = rules.data;
  const selected = list?.rules.find((rule) => rule.id === selectedId) ?? null;
  const limitReason = list ? ruleLimitReason(list.rules.length, list.limit, list.plan) : null;
  const mutation = editing === 'new' ? changes.create : changes.update;

  const closeForm = () => {
    changes.create.reset();
    changes.update.reset();
    setEditing(null);
  };
  const save = (request: TCreateAlertRuleRequest) => {
    const done = {
      onSuccess: (rule: TAlertRule) => {
        closeForm();
        setSelectedId(rule.id);
      },
    };
    if (editing === 'new' || editing === null) changes.create.mutate(request, done);
    else changes.update.mutate({ id: editing.id, ...request }, done);
  };
  const remove = (rule: TAlertRule) =>
    changes.remove.mutate({ id: rule.id }, { onSuccess: () => setSelectedId((current) => (current === rule.id ? null : current)) });

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <PageHeader
          title="Alerts"
          description="Rules that watch a count per window (5 minutes, an hour, a day, aligned to UTC) and fire when it breaches. States change here live; a rule with a webhook also sends it a signed request."
        />
        {editInsights.allowed ? (
          <Tooltip label={limitReason} disabled={limitReason === null}>
            {/* A disabled button hears no hover: the wrapper shows the reason. */}
            <span>
              <Button disabled={!list || limitReason !== null} onClick={() => setEditing('new')} data-testid="alert-create">
                New rule
              </Button>
            </span>
          </Tooltip>
        ) : null}
      </Group>
      <PermissionAlert check={editInsights} title={`Changing alert rules needs ${editInsights.needs}`} testId="alerts-read-only">
        The rules, their history and deliveries below are yours to read.
      </PermissionAlert>
      <Paper withBorder p="md">
        {rules.isError ? <ErrorAlert error={rules.error} onRetry={() => void rules.refetch()} /> : null}
        {changes.remove.error ? <ErrorAlert error={changes.remove.error} /> : null}
        {list ? (
          <Stack gap="xs">
            <Text size="sm" c="dimmed" data-testid="alert-limit">
              {describeRuleLimit(list.rules.length, list.limit, list.plan)}
              {limitReason && editInsights.allowed ? ` — ${limitReason}` : ''}
            </Text>
            <AlertRuleTable
              rules={list.rules}
              goals={goals}
              selectedId={selectedId}
              onSelect={(rule) => setSelectedId(rule.id)}
              canEdit={editInsights.allowed}
              onEdit={setEditing}
              onDelete={remove}
              deletingId={changes.remove.isPending ? (changes.remove.variables?.id ?? null) : null}
            />
          </Stack>
        ) : rules.isPending ? (
          <Skeleton height={120} />
        ) : null}
      </Paper>
      {selected ? <AlertRuleDetail rule={selected} goals={goals} history={history} deliveries={deliveries} /> : null}
      {editInsights.allowed ? <WebhookSection webhooks={webhooks} /> : null}
      {editing !== null ? (
        <AlertRuleForm
          // A rule chosen for editing starts the form over from it.
          key={editing === 'new' ? 'new' : editing.id}
          editing={editing === 'new' ? null : editing}
          webhooks={webhooks.list.data ?? []}
          goals={goals}
          saving={mutation.isPending}
          error={mutation.error}
          onSave={save}
          onClose={closeForm}
        />
      ) : null}
    </Stack>
  );
}
