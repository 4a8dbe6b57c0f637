import { create } from 'zustand';

export type TConnection = 'connecting' | 'connected' | 'reconnecting' | 'offline';

interface LiveState {
  paused: boolean;
  setPaused: (paused: boolean) => void;
  /** The tab's analytics.live stream (hooks/use-live-feed.ts), as the Live page's badge shows it. */
  connection: TConnection;
  setConnection: (connection: TConnection) => void;
}

/** UI state of the live stream; the events themselves are server state, kept by the hooks that listen. */
export const useLiveStore = create<LiveState>()((set) => ({
  paused: false,
  setPaused: (paused) => set({ paused }),
  connection: 'connecting',
  setConnection: (connection) => set({ connection }),
}));

export const useLivePaused = () => useLiveStore((state) => state.paused);
export const useSetLivePaused = () => useLiveStore((state) => state.setPaused);
export const useLiveConnection = () => useLiveStore((state) => state.connection);
