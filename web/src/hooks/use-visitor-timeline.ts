import { keepPreviousData } from '@tanstack/react-query';
import { trpc } from '../lib/trpc.ts';

const PAGE_SIZE = 100;

/** One visitor's events, newest first, a cursor page at a time; nothing is asked before there is an id. */
export function useVisitorTimeline(visitorId: string) {
  const query = trpc.events.timeline.useInfiniteQuery(
    { visitorId, limit: PAGE_SIZE },
    { enabled: visitorId !== '', getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: keepPreviousData },
  );
  return { ...query, visitor: query.data?.pages[0]?.visitor ?? null, events: query.data?.pages.flatMap((page) => page.events) ?? [] };
}
