import { skipToken } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { liveFeed, type TDeltaListener } from '../lib/live-feed.ts';
import { signOutIfSessionEnded } from '../lib/query-client.ts';
import { trpc } from '../lib/trpc.ts';
import { useLiveStore, type TConnection } from '../stores/live-store.ts';
import { usePermission } from './use-permission.ts';

/**
 * The tab's one analytics.live subscription (SSE; tRPC resumes after the last id on reconnect), opened by the
 * layout for every page: pages hear it through `useLiveDeltas`, so no page opens a second stream.
 */
export function useLiveFeed(): void {
  const canRead = usePermission('read').allowed;
  const everConnected = useRef(false);
  const subscription = trpc.analytics.live.useSubscription(canRead ? undefined : skipToken, {
    onData: ({ data: delta }) => liveFeed.publish(delta),
    // The server ends the stream with a 401 once the session's key is revoked.
    onError: (error) => signOutIfSessionEnded(error),
  });
  if (subscription.status === 'pending') everConnected.current = true;
  const connection: TConnection =
    subscription.status === 'pending' ? 'connected' : subscription.status === 'error' ? 'offline' : everConnected.current ? 'reconnecting' : 'connecting';
  useEffect(() => useLiveStore.getState().setConnection(connection), [connection]);
}

/** Calls `onDelta` with each delta of the tab's live stream while the caller is mounted. */
export function useLiveDeltas(onDelta: TDeltaListener): void {
  const latest = useRef(onDelta);
  useEffect(() => {
    latest.current = onDelta;
  });
  useEffect(() => liveFeed.listen((delta) => latest.current(delta)), []);
}
