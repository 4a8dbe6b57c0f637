import { Badge, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { BreakerStateBadge } from '../components/breaker-state-badge.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { KpiCard } from '../components/kpi-card.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Sparkline } from '../components/sparkline.tsx';
import { useSystemInfo } from '../hooks/use-system-info.ts';
import { useSystemMetrics } from '../hooks/use-system-metrics.ts';
import { formatCount } from '../lib/format.ts';
import { trpc } from '../lib/trpc.ts';

const sum = (counts: Record<string, number> | undefined) => (counts ? Object.values(counts).reduce((total, count) => total + count, 0) : undefined);
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

export function SystemPage() {
  const systemInfo = useSystemInfo();
  const { latest, requestsHistory, live } = useSystemMetrics();
  const health = trpc.system.health.useQuery(undefined, { refetchInterval: 5_000 });
  const info = systemInfo.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <PageHeader
          title="System"
          description="How the backend answering you is doing, updated every second: traffic, circuit breakers, cache, limits and load shedding."
        />
        <Badge color={live ? 'green' : 'gray'} variant="dot" size="lg" data-testid="system-live">
          {live ? 'Live' : 'Connecting…'}
        </Badge>
      </Group>
      {systemInfo.isError ? <ErrorAlert error={systemInfo.error} onRetry={() => void systemInfo.refetch()} /> : null}

      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <KpiCard label="Requests / s" value={latest && formatCount(latest.requests.perSecond)} testId="system-requests-per-second" />
        <KpiCard label="Latency p50 / p99" value={latest && `${latest.requests.latencyMs.p50} / ${latest.requests.latencyMs.p99} ms`} testId="system-latency" />
        <KpiCard
          label="Cache hit rate"
          value={latest && percent(latest.cache.hitRatio)}
          testId="system-cache-hit-rate"
          caption={
            latest &&
            `hits: ${formatCount(latest.cache.l1Hits)} memory, ${formatCount(latest.cache.l2Hits)} Redis; ${formatCount(latest.cache.l1Entries)} answers in memory; ${formatCount(latest.cache.invalidations)} invalidations`
          }
        />
        <KpiCard
          label="Spool depth"
          value={latest && (latest.spoolDepth === null ? 'none' : formatCount(latest.spoolDepth))}
          testId="system-spool-depth"
          caption="events waiting for PostgreSQL"
        />
        <KpiCard
          label="Dead letters"
          value={latest && (latest.deadLetterEvents === null ? 'none' : formatCount(latest.deadLetterEvents))}
          testId="system-dead-letters"
          caption="acknowledged events PostgreSQL refused; see npm run dead-letters"
        />
        <KpiCard label="Rate-limited" value={latest && formatCount(sum(latest.rateLimited)!)} testId="system-rate-limited" caption="since start" />
        <KpiCard label="Shed" value={latest && formatCount(sum(latest.shed)!)} testId="system-shed" caption="refused under load, since start" />
        <KpiCard label="In flight" value={latest && formatCount(latest.inFlight)} testId="system-in-flight" />
        <KpiCard label="Event-loop delay" value={latest && `${latest.eventLoopDelayMs} ms`} testId="system-event-loop-delay" />
      </SimpleGrid>

      <Paper withBorder p="md">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
          Requests per second, last minute
        </Text>
        <Sparkline values={requestsHistory} height={64} testId="system-requests-sparkline" />
        {latest ? (
          <Group gap="xs" mt="xs">
            {Object.entries(latest.requests.statuses).map(([statusClass, count]) => (
              <Badge
                key={statusClass}
                variant="light"
                color={statusClass === '2xx' ? 'green' : statusClass === '5xx' ? 'red' : 'yellow'}
                data-testid={`system-status-${statusClass}`}
              >
                {statusClass}: {formatCount(count)}
              </Badge>
            ))}
          </Group>
        ) : null}
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md">
          <Title order={4} mb="sm">
            Circuit breakers
          </Title>
          {latest ? (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Dependency</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Failure rate</Table.Th>
                  <Table.Th>Last change</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {latest.breakers.map((breaker) => (
                  <Table.Tr key={breaker.dependency}>
                    <Table.Td>{breaker.dependency}</Table.Td>
                    <Table.Td>
                      <BreakerStateBadge state={breaker.state} testId={`breaker-state-${breaker.dependency}`} />
                    </Table.Td>
                    <Table.Td>{percent(breaker.failureRate)}</Table.Td>
                    <Table.Td>{breaker.lastChangeAt ? new Date(breaker.lastChangeAt).toLocaleTimeString() : 'never'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Skeleton height={140} />
          )}
        </Paper>
        <Paper withBorder p="md">
          <Title order={4} mb="sm">
            This backend
          </Title>
          {info ? (
            <Table>
              <Table.Tbody>
                {[
                  { label: 'Mode', value: info.mode },
                  { label: 'Database', value: info.database },
                  { label: 'Cache', value: info.cache },
                  { label: 'Version', value: info.version },
                  { label: 'Status', value: health.data?.status ?? '…' },
                  { label: 'PostgreSQL', value: health.data?.checks.postgres ?? '…' },
                  { label: 'Redis', value: health.data ? (health.data.checks.redis ?? 'not used (embedded)') : '…' },
                ].map(({ label, value }) => (
                  <Table.Tr key={label}>
                    <Table.Th w={140}>{label}</Table.Th>
                    <Table.Td data-testid={`system-${label.toLowerCase()}`}>{value}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Skeleton height={140} />
          )}
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
