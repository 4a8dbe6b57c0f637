import { Alert, Group, Loader, Text } from '@mantine/core';
import { useLatestEvent } from '../hooks/use-first-event.ts';
import { formatTimeAgo } from '../lib/format.ts';
import { ErrorAlert } from './error-alert.tsx';

/** Whether this tenant receives events yet: the check to watch while installing a snippet. */
export function FirstEventStatus() {
  const latest = useLatestEvent();
  if (latest.isError && latest.data === undefined) return <ErrorAlert error={latest.error} onRetry={() => void latest.refetch()} />;
  const event = latest.data;
  if (!event) {
    const waiting = 'Waiting for the first event… Install a snippet below and load a page (or run the curl command); this checks every 3 s.';
    return (
      <Alert color="gray" variant="light" data-testid="first-event-status">
        <Group gap="sm" wrap="nowrap">
          <Loader size="sm" />
          <Text size="sm">{event === null ? waiting : 'Looking for events…'}</Text>
        </Group>
      </Alert>
    );
  }
  // Measured against when the answer came, so the age moves with each poll.
  const age = formatTimeAgo(Date.parse(event.receivedAt), latest.dataUpdatedAt);
  const what = [event.type, event.name, event.path].filter(Boolean).join(' ');
  return (
    <Alert color="green" variant="light" data-testid="first-event-status">
      <Text size="sm" c="green">
        Receiving events: last one {age} ({what})
      </Text>
    </Alert>
  );
}
