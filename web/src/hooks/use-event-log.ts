import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import type { TEventFilters } from '../stores/events-store.ts';
import { trpc } from '../lib/trpc.ts';

const PAGE_SIZE = 50;

/** The event log, newest first, one cursor page at a time; filters apply after a short pause in typing. */
export function useEventLog(filters: TEventFilters) {
  const [settled] = useDebouncedValue(filters, 300);
  const input = {
    limit: PAGE_SIZE,
    name: settled.name.trim() || undefined,
    userId: settled.userId.trim() || undefined,
    pathContains: settled.pathContains.trim() || undefined,
  };
  const query = trpc.events.list.useInfiniteQuery(input, {
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // While a new filter loads, the list stays as it was instead of flashing a skeleton.
    placeholderData: keepPreviousData,
  });
  return { ...query, events: query.data?.pages.flatMap((page) => page.events) ?? [], matching: query.data?.pages[0]?.matching };
}
