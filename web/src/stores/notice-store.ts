import { create } from 'zustand';

export interface TNotice {
  id: number;
  title: string;
  message: string;
}

interface NoticeState {
  notices: TNotice[];
  show: (notice: Omit<TNotice, 'id'>) => void;
  dismiss: (id: number) => void;
}

const SHOWN_FOR_MS = 8_000;
const MAX_SHOWN = 4;
let nextId = 1;

/** Errors that happen away from what the user is looking at (a background refresh, a send) become notices. */
export const useNoticeStore = create<NoticeState>()((set, get) => ({
  notices: [],
  show: (notice) => {
    const id = nextId++;
    set((state) => ({ notices: [...state.notices.filter((shown) => shown.title !== notice.title || shown.message !== notice.message), { id, ...notice }].slice(-MAX_SHOWN) }));
    setTimeout(() => get().dismiss(id), SHOWN_FOR_MS);
  },
  dismiss: (id) => set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) })),
}));
