import { Paper, Skeleton, Text } from '@mantine/core';

interface KpiCardProps {
  label: string;
  /** Formatted value; `undefined` while loading. */
  value: string | undefined;
  testId: string;
  caption?: string;
}

export function KpiCard({ label, value, testId, caption }: KpiCardProps) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      {value === undefined ? (
        <Skeleton height={32} width="60%" mt={8} />
      ) : (
        <Text fz={28} fw={700} mt={4} truncate data-testid={testId}>
          {value}
        </Text>
      )}
      {caption ? (
        <Text size="xs" c="dimmed">
          {caption}
        </Text>
      ) : null}
    </Paper>
  );
}
