import { Group, Skeleton, Stack } from '@mantine/core';
import type { TDegraded } from '@pulse/shared/analytics';
import type { ReactNode } from 'react';
import { DegradedBadge } from './degraded-badge.tsx';
import { ErrorAlert } from './error-alert.tsx';

interface TileQueryProps<TData> {
  query: { data: TData | undefined; error: unknown; isError: boolean; refetch: () => unknown };
  children: (data: TData) => ReactNode;
}

/** One tile's answer: a placeholder while it loads, its error in the tile alone, and a badge when it is degraded. */
export function TileQuery<TData extends { degraded?: TDegraded }>({ query, children }: TileQueryProps<TData>) {
  if (query.data === undefined) {
    if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
    return <Skeleton height={96} data-testid="tile-loading" />;
  }
  return (
    <Stack gap="xs">
      {query.data.degraded ? (
        <Group justify="flex-end">
          <DegradedBadge degraded={query.data.degraded} />
        </Group>
      ) : null}
      {children(query.data)}
    </Stack>
  );
}
