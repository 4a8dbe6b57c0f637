import { trpc } from '../lib/trpc.ts';

/** Checked again now and then, and whenever the Overview hears of a commit (useLiveRefresh). */
const REFETCH_EVERY_MS = 60_000;

/** The tenant's events against its monthly quota, in the period running now. */
export function useUsage() {
  return trpc.usage.get.useQuery(undefined, { refetchInterval: REFETCH_EVERY_MS });
}
