import { trpc } from '../lib/trpc.ts';

const POLL_EVERY_MS = 3_000;

/** The tenant's newest event (or null before the first), asked again every three seconds. */
export function useLatestEvent() {
  return trpc.events.recent.useQuery({ limit: 1 }, { refetchInterval: POLL_EVERY_MS, select: (events) => events[0] ?? null });
}
