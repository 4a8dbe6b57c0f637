import { useEffect, useRef, useState } from 'react';
import type { TLiveEvent } from '@pulse/shared/live';
import { useLiveConnection, useLivePaused, useLiveStore, type TConnection } from '../stores/live-store.ts';
import { useLiveDeltas } from './use-live-feed.ts';

const MAX_SHOWN = 200;
const RATE_WINDOW_SECONDS = 60;

export interface LiveStream {
  /** Newest first; frozen while paused. */
  events: TLiveEvent[];
  /** Events that arrived while paused, shown on resume. */
  waiting: number;
  /** Events per second over the last minute, oldest first. */
  perSecond: number[];
  connection: TConnection;
}

/** The tenant's events as the tab's live stream brings them (hooks/use-live-feed.ts). */
export function useLiveStream(): LiveStream {
  const paused = useLivePaused();
  const [events, setEvents] = useState<TLiveEvent[]>([]);
  const waitingRef = useRef<TLiveEvent[]>([]);
  const [waiting, setWaiting] = useState(0);
  const counts = useRef(new Map<number, number>());
  const [perSecond, setPerSecond] = useState<number[]>(() => Array(RATE_WINDOW_SECONDS).fill(0));
  const connection = useLiveConnection();

  useLiveDeltas((delta) => {
    // An alert rule's change of state comes with no events: nothing to count or show here.
    if (delta.accepted === 0) return;
    const second = Math.floor(Date.parse(delta.committedAt) / 1_000);
    counts.current.set(second, (counts.current.get(second) ?? 0) + delta.accepted);
    // Read from the store: a pause clicked since the last render already holds.
    if (useLiveStore.getState().paused) {
      waitingRef.current = [...delta.events, ...waitingRef.current].slice(0, MAX_SHOWN);
      setWaiting((count) => count + delta.events.length);
    } else {
      setEvents((shown) => [...delta.events, ...shown].slice(0, MAX_SHOWN));
    }
  });

  // On resume, what arrived meanwhile joins the list.
  useEffect(() => {
    if (paused || waitingRef.current.length === 0) return;
    const arrived = waitingRef.current;
    waitingRef.current = [];
    setWaiting(0);
    setEvents((shown) => [...arrived, ...shown].slice(0, MAX_SHOWN));
  }, [paused]);

  useEffect(() => {
    const timer = setInterval(() => {
      const now = Math.floor(Date.now() / 1_000);
      for (const second of counts.current.keys()) if (second < now - RATE_WINDOW_SECONDS) counts.current.delete(second);
      setPerSecond(Array.from({ length: RATE_WINDOW_SECONDS }, (_, i) => counts.current.get(now - RATE_WINDOW_SECONDS + i) ?? 0));
    }, 1_000);
    return () => clearInterval(timer);
  }, []);

  return { events, waiting, perSecond, connection };
}
