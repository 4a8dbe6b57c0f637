import { Anchor, Button, Code, Drawer, Group, Paper, ScrollArea, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import { ErrorAlert } from '../components/error-alert.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useEventLog } from '../hooks/use-event-log.ts';
import { describeShownEvents } from '../lib/format.ts';
import { timelineHref } from '../lib/timeline-link.ts';
import { useEventsStore, type TEventFilters } from '../stores/events-store.ts';

const FILTERS: Array<{ field: keyof TEventFilters; label: string; placeholder: string }> = [
  { field: 'name', label: 'Event name', placeholder: 'page_view' },
  { field: 'userId', label: 'User id', placeholder: 'user-42' },
  { field: 'pathContains', label: 'Path contains', placeholder: '/pricing' },
];

export function EventsPage() {
  const filters = useEventsStore((state) => state.filters);
  const setFilter = useEventsStore((state) => state.setFilter);
  const openEventId = useEventsStore((state) => state.openEventId);
  const setOpenEventId = useEventsStore((state) => state.setOpenEventId);
  const log = useEventLog(filters);
  const openEvent = log.events.find((event) => event.id === openEventId);

  return (
    <Stack gap="lg">
      <PageHeader title="Events" description="Every stored event, newest first. Filter by name, user or path; open one to see all its properties." />
      <Group align="flex-end">
        {FILTERS.map(({ field, label, placeholder }) => (
          <TextInput
            key={field}
            label={label}
            placeholder={placeholder}
            value={filters[field]}
            onChange={(change) => setFilter(field, change.currentTarget.value)}
            data-testid={`events-filter-${field}`}
          />
        ))}
      </Group>
      {log.matching ? (
        <Text size="sm" c="dimmed" data-testid="events-total">
          {describeShownEvents(log.events.length, log.matching)}
        </Text>
      ) : null}
      {log.isError ? (
        <ErrorAlert error={log.error} onRetry={() => void log.refetch()} />
      ) : (
        <Paper withBorder>
          <Table highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Event</Table.Th>
                <Table.Th>User</Table.Th>
                <Table.Th>Path</Table.Th>
                <Table.Th>Device</Table.Th>
                <Table.Th>Country</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {log.isPending ? (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Skeleton height={120} />
                  </Table.Td>
                </Table.Tr>
              ) : log.events.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed" ta="center" py="md">
                      No events match. Clear a filter, or send some from the Generator page.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : (
                log.events.map((event) => (
                  <Table.Tr key={event.id} style={{ cursor: 'pointer' }} onClick={() => setOpenEventId(event.id)} data-testid={`events-row-${event.messageId}`}>
                    <Table.Td>{new Date(event.ts).toLocaleString()}</Table.Td>
                    <Table.Td fw={600}>{event.name}</Table.Td>
                    <Table.Td>{event.userId ?? event.anonymousId ?? '—'}</Table.Td>
                    <Table.Td>{event.path ?? '—'}</Table.Td>
                    <Table.Td>{event.device ?? '—'}</Table.Td>
                    <Table.Td>{event.country ?? '—'}</Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {log.hasNextPage ? (
        <Button variant="light" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage} data-testid="events-load-more" w="fit-content">
          Load more
        </Button>
      ) : null}
      <Drawer
        opened={openEvent !== undefined}
        onClose={() => setOpenEventId(null)}
        position="right"
        size="lg"
        title={openEvent ? `${openEvent.name} · ${new Date(openEvent.ts).toLocaleString()}` : ''}
      >
        {openEvent && (openEvent.userId ?? openEvent.anonymousId) ? (
          <Anchor href={timelineHref((openEvent.userId ?? openEvent.anonymousId)!)} mb="sm" display="block" data-testid="event-drawer-timeline">
            Everything {openEvent.userId ?? openEvent.anonymousId} did →
          </Anchor>
        ) : null}
        <ScrollArea>
          <Code block data-testid="event-drawer-json">
            {JSON.stringify(openEvent, null, 2)}
          </Code>
        </ScrollArea>
      </Drawer>
    </Stack>
  );
}
