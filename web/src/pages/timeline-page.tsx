import { Badge, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import type { TTimelineVisitor } from '@pulse/shared/timeline';
import { useState, type FormEvent } from 'react';
import { CountryValue } from '../components/country-value.tsx';
import { CsvDownloadButton } from '../components/csv-download-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { KpiCard } from '../components/kpi-card.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { usePageQuery } from '../hooks/use-hash-route.ts';
import { useVisitorTimeline } from '../hooks/use-visitor-timeline.ts';
import { formatCount } from '../lib/format.ts';
import { timelineHref, visitorOfQuery } from '../lib/timeline-link.ts';

const when = (iso: string) => new Date(iso).toLocaleString();

/** One visitor's events in order, with who they are: reached from an event of the log, or by typing an id. */
export function TimelinePage() {
  const visitorId = visitorOfQuery(usePageQuery('timeline'));
  const [typed, setTyped] = useState(visitorId);
  const timeline = useVisitorTimeline(visitorId);

  function show(event: FormEvent) {
    event.preventDefault();
    window.location.hash = timelineHref(typed.trim());
  }

  return (
    <Stack gap="lg">
      <PageHeader
        title="Visitor timeline"
        description="Everything one visitor did, newest first: a user id (with the anonymous history it was seen with) or an anonymous id."
      />
      <form onSubmit={show}>
        <Group align="flex-end">
          <TextInput
            label="User or anonymous id"
            value={typed}
            onChange={(change) => setTyped(change.currentTarget.value)}
            w={360}
            data-testid="timeline-visitor-input"
          />
          <Button type="submit" disabled={typed.trim() === ''}>
            Show
          </Button>
        </Group>
      </form>
      {visitorId === '' ? null : timeline.isError ? (
        <ErrorAlert error={timeline.error} onRetry={() => void timeline.refetch()} />
      ) : timeline.isPending ? (
        <Skeleton height={200} />
      ) : timeline.visitor === null ? (
        <Text c="dimmed" data-testid="timeline-empty">
          No events of “{visitorId}” are stored (within this tenant’s retention).
        </Text>
      ) : (
        <>
          <VisitorCard visitor={timeline.visitor} />
          <Paper withBorder>
            <Group justify="space-between" p="sm">
              <Text fw={600}>Events</Text>
              <CsvDownloadButton procedure="events.timeline" input={{ visitorId, limit: 500 }} testId="timeline-csv" />
            </Group>
            <Table highlightOnHover data-testid="timeline-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>Path</Table.Th>
                  <Table.Th>Id on the event</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {timeline.events.map((event) => (
                  <Table.Tr key={event.id} data-testid={`timeline-row-${event.messageId}`}>
                    <Table.Td>{when(event.ts)}</Table.Td>
                    <Table.Td fw={600}>
                      {event.name} {event.isBot ? <Badge size="xs">bot</Badge> : null}
                    </Table.Td>
                    <Table.Td>{event.path ?? '—'}</Table.Td>
                    <Table.Td>{event.userId ?? event.anonymousId ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
          {timeline.hasNextPage ? (
            <Button
              variant="light"
              w="fit-content"
              onClick={() => void timeline.fetchNextPage()}
              loading={timeline.isFetchingNextPage}
              data-testid="timeline-load-more"
            >
              Older events
            </Button>
          ) : null}
        </>
      )}
    </Stack>
  );
}

function VisitorCard({ visitor }: { visitor: TTimelineVisitor }) {
  const count = `${formatCount(visitor.eventCount)}${visitor.eventCountIsCapped ? '+' : ''}`;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <KpiCard label="Events" value={count} testId="timeline-count" />
        <KpiCard label="First seen" value={when(visitor.firstSeen)} testId="timeline-first-seen" />
        <KpiCard label="Last seen" value={when(visitor.lastSeen)} testId="timeline-last-seen" />
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            Latest seen on
          </Text>
          <Text size="sm" data-testid="timeline-device">
            {[visitor.device, visitor.browser, visitor.os].filter(Boolean).join(' · ') || '—'}
          </Text>
          {visitor.country ? <CountryValue value={visitor.country} /> : null}
        </Paper>
      </SimpleGrid>
      {visitor.linkedAnonymousIds.length > 0 ? (
        <Text size="sm" c="dimmed" data-testid="timeline-linked">
          Includes the anonymous history of {visitor.linkedAnonymousIds.join(', ')}.
        </Text>
      ) : null}
    </Stack>
  );
}
