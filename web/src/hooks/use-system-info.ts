import { trpc } from '../lib/trpc.ts';

const FIVE_MINUTES_MS = 5 * 60_000;

export function useSystemInfo() {
  return trpc.system.info.useQuery(undefined, { staleTime: FIVE_MINUTES_MS });
}
