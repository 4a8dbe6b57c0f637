import { Badge, Stack, Table, Text } from '@mantine/core';
import type { TWebhookDelivery } from '@pulse/shared/alerts';
import { formatInstant } from '../lib/format.ts';

const STATUS_COLORS: Record<TWebhookDelivery['status'], string> = { delivered: 'green', pending: 'yellow', failed: 'red' };

/** "delivered 200 in 84 ms", "retry: connection refused". */
function attemptText(attempt: TWebhookDelivery['attempts'][number]): string {
  const status = attempt.statusCode === null ? '' : ` ${attempt.statusCode}`;
  const error = attempt.error ? `: ${attempt.error}` : '';
  return `${formatInstant(attempt.at)} — ${attempt.outcome}${status} in ${attempt.durationMs} ms${error}`;
}

/** What the rule's webhook was sent and how each attempt went. */
export function AlertDeliveriesTable({ deliveries }: { deliveries: TWebhookDelivery[] }) {
  if (deliveries.length === 0)
    return (
      <Text c="dimmed" size="sm" data-testid="alert-deliveries-empty">
        No webhook deliveries: the rule has not fired or resolved with a webhook set.
      </Text>
    );
  return (
    <Table data-testid="alert-deliveries">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Window ending</Table.Th>
          <Table.Th>Kind</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Attempts</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {deliveries.map((delivery) => (
          <Table.Tr key={delivery.id} data-testid="alert-delivery-row">
            <Table.Td>{formatInstant(delivery.windowEnd)}</Table.Td>
            <Table.Td>{delivery.kind}</Table.Td>
            <Table.Td>
              <Badge color={STATUS_COLORS[delivery.status]} variant="light">
                {delivery.status}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Stack gap={2}>
                {delivery.attempts.length === 0 ? <Text size="xs">none yet</Text> : null}
                {delivery.attempts.map((attempt) => (
                  <Text key={attempt.at} size="xs" c={attempt.outcome === 'delivered' ? undefined : 'red'}>
                    {attemptText(attempt)}
                  </Text>
                ))}
              </Stack>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
