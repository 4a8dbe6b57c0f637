import { create } from 'zustand';

export interface TEventFilters {
  name: string;
  userId: string;
  pathContains: string;
}

interface EventsState {
  filters: TEventFilters;
  setFilter: (field: keyof TEventFilters, value: string) => void;
  /** The event shown in the drawer, by its server id. */
  openEventId: string | null;
  setOpenEventId: (id: string | null) => void;
}

export const useEventsStore = create<EventsState>()((set) => ({
  filters: { name: '', userId: '', pathContains: '' },
  setFilter: (field, value) => set((state) => ({ filters: { ...state.filters, [field]: value } })),
  openEventId: null,
  setOpenEventId: (openEventId) => set({ openEventId }),
}));
