import { Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import type { useWebhooks } from '../hooks/use-alerts.ts';
import { formatInstant } from '../lib/format.ts';
import { ConfirmButton } from './confirm-button.tsx';
import { CreatedWebhookAlert } from './created-webhook-alert.tsx';
import { ErrorAlert } from './error-alert.tsx';
import { RefusalAlert } from './refusal-alert.tsx';
import { WebhookForm } from './webhook-form.tsx';

/** Where rules send their notifications (editors and up): the list, adding one (its secret shown once), deleting one. */
export function WebhookSection({ webhooks }: { webhooks: ReturnType<typeof useWebhooks> }) {
  const { list, create, remove } = webhooks;
  return (
    <Paper withBorder p="md" data-testid="webhook-section">
      <Stack gap="sm">
        <Title order={4}>Webhooks</Title>
        <Text size="sm" c="dimmed">
          A rule with a webhook sends it a signed request when it fires and when it resolves. Pulse only calls public addresses.
        </Text>
        <WebhookForm saving={create.isPending} onAdd={(request, added) => create.mutate(request, { onSuccess: added })} />
        <RefusalAlert error={create.error} title="The webhook was not added" />
        {create.data ? <CreatedWebhookAlert name={create.data.name} secret={create.data.secret} /> : null}
        {remove.error ? <ErrorAlert error={remove.error} /> : null}
        {list.error ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        {list.isPending ? <Skeleton height={60} /> : null}
        {list.data?.length === 0 ? (
          <Text c="dimmed" size="sm">
            No webhooks yet: rules notify this dashboard only.
          </Text>
        ) : null}
        {list.data?.length ? (
          <Table data-testid="webhook-table">
            <Table.Tbody>
              {list.data.map((webhook) => (
                <Table.Tr key={webhook.id} data-testid="webhook-row" data-webhook={webhook.name}>
                  <Table.Td fw={500}>{webhook.name}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{webhook.url}</Table.Td>
                  <Table.Td>{webhook.format === 'slack' ? 'Slack' : 'JSON'}</Table.Td>
                  <Table.Td>{formatInstant(webhook.createdAt)}</Table.Td>
                  <Table.Td ta="right">
                    <ConfirmButton
                      label="Delete"
                      question={`Delete the webhook “${webhook.name}”? Rules that use it notify no one until given another.`}
                      confirmLabel="Delete webhook"
                      loading={remove.isPending && remove.variables?.id === webhook.id}
                      onConfirm={() => remove.mutate({ id: webhook.id })}
                      testId="webhook-delete"
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Stack>
    </Paper>
  );
}
