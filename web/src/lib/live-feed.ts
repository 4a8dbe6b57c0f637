import type { TLiveDelta } from '@pulse/shared/live';

export type TDeltaListener = (delta: TLiveDelta) => void;

/**
 * Who hears the tab's one analytics.live stream. Each SSE stream holds one of the ~6 connections a browser
 * allows per host, so pages listen here instead of opening streams of their own.
 */
export function createLiveFeed() {
  const listeners = new Set<TDeltaListener>();
  return {
    listen(listener: TDeltaListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(delta: TLiveDelta): void {
      for (const listener of listeners) listener(delta);
    },
  };
}

export const liveFeed = createLiveFeed();
