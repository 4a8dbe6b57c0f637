import { Paper, Skeleton, Stack, Table } from '@mantine/core';
import { ErrorAlert } from '../components/error-alert.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useSystemInfo } from '../hooks/use-system-info.ts';

export function SystemPage() {
  const systemInfo = useSystemInfo();
  const info = systemInfo.data;
  const rows = info && [
    { label: 'Mode', value: info.mode },
    { label: 'Database', value: info.database },
    { label: 'Cache', value: info.cache },
    { label: 'Version', value: info.version },
  ];

  return (
    <Stack gap="lg">
      <PageHeader title="System" description="How this Pulse backend is running." />
      {systemInfo.isError ? (
        <ErrorAlert error={systemInfo.error} onRetry={() => void systemInfo.refetch()} />
      ) : (
        <Paper withBorder p="md" maw={480}>
          {rows ? (
            <Table>
              <Table.Tbody>
                {rows.map(({ label, value }) => (
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
      )}
    </Stack>
  );
}
