import { useState } from 'react';
import type { TSystemMetrics } from '@pulse/shared/system';
import { trpc } from '../lib/trpc.ts';

const HISTORY_SECONDS = 60;

export interface SystemMetricsStream {
  latest: TSystemMetrics | undefined;
  /** Requests per second over the last minute, oldest first. */
  requestsHistory: number[];
  live: boolean;
}

/** This backend's figures, pushed once a second (system.metrics over SSE). */
export function useSystemMetrics(): SystemMetricsStream {
  const [latest, setLatest] = useState<TSystemMetrics>();
  const [requestsHistory, setRequestsHistory] = useState<number[]>([]);
  const subscription = trpc.system.metrics.useSubscription(undefined, {
    onData: (snapshot) => {
      setLatest(snapshot);
      setRequestsHistory((history) => [...history, snapshot.requests.perSecond].slice(-HISTORY_SECONDS));
    },
  });
  return { latest, requestsHistory, live: subscription.status === 'pending' };
}
