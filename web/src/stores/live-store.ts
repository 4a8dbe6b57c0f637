import { create } from 'zustand';

interface LiveState {
  paused: boolean;
  setPaused: (paused: boolean) => void;
}

/** UI state of the Live page only; the events themselves are server state, kept by the subscription hook. */
export const useLiveStore = create<LiveState>()((set) => ({
  paused: false,
  setPaused: (paused) => set({ paused }),
}));

export const useLivePaused = () => useLiveStore((state) => state.paused);
export const useSetLivePaused = () => useLiveStore((state) => state.setPaused);
