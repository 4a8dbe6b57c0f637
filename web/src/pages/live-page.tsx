import { Button, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { ConnectionBadge } from '../components/connection-badge.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Sparkline } from '../components/sparkline.tsx';
import { useLiveStream } from '../hooks/use-live-stream.ts';
import { formatCount } from '../lib/format.ts';
import { useLivePaused, useSetLivePaused } from '../stores/live-store.ts';

export function LivePage() {
  const { events, waiting, perSecond, connection } = useLiveStream();
  const paused = useLivePaused();
  const setPaused = useSetLivePaused();
  const lastSecond = perSecond.at(-2) ?? 0;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <PageHeader
          title="Live"
          description="Events as they are committed, pushed by the server. After a dropped connection the stream resumes where it left off."
        />
        <Group>
          <ConnectionBadge connection={connection} />
          <Button variant="light" onClick={() => setPaused(!paused)} data-testid="live-pause">
            {paused ? `Resume${waiting > 0 ? ` (${formatCount(waiting)} new)` : ''}` : 'Pause'}
          </Button>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            Events per second
          </Text>
          <Text fz={28} fw={700} data-testid="live-rate">
            {formatCount(lastSecond)}
          </Text>
          <Sparkline values={perSecond} testId="live-sparkline" />
        </Paper>
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            In the last minute
          </Text>
          <Text fz={28} fw={700} data-testid="live-minute-total">
            {formatCount(perSecond.reduce((sum, count) => sum + count, 0))}
          </Text>
        </Paper>
      </SimpleGrid>
      <Paper withBorder>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Event</Table.Th>
              <Table.Th>User</Table.Th>
              <Table.Th>Path</Table.Th>
              <Table.Th>Country</Table.Th>
              <Table.Th>Device</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {events.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text c="dimmed" ta="center" py="md">
                    Waiting for events… send some from the Generator page or any SDK.
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : (
              events.map((event) => (
                <Table.Tr key={event.messageId} data-testid={`live-event-${event.messageId}`}>
                  <Table.Td>{new Date(event.ts).toLocaleTimeString()}</Table.Td>
                  <Table.Td fw={600}>{event.name}</Table.Td>
                  <Table.Td>{event.userId ?? '—'}</Table.Td>
                  <Table.Td>{event.path ?? '—'}</Table.Td>
                  <Table.Td>{event.country ?? '—'}</Table.Td>
                  <Table.Td>{event.device ?? '—'}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
