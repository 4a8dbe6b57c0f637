import { useInfiniteQuery } from '@tanstack/react-query';
import { trpc } from '../lib/trpc.ts';

const PAGE_SIZE = 50;

/**
 * The tenant's audit log (viewAudit), newest first, a page at a time: each older page starts before the last
 * entry shown. React Query's own infinite query, as tRPC's wants the page's input named `cursor`.
 */
export function useAuditLog() {
  const utils = trpc.useUtils();
  const query = useInfiniteQuery({
    queryKey: ['audit.list', PAGE_SIZE],
    queryFn: ({ pageParam }) => utils.client.audit.list.query({ limit: PAGE_SIZE, before: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => (page.hasMore ? page.entries.at(-1)?.id : undefined),
  });
  return { ...query, entries: query.data?.pages.flatMap((page) => page.entries) ?? [] };
}
