import { create } from 'zustand';
import { GENERATOR_DEVICES, GENERATOR_EVENT_TYPES, type TGeneratorSettings } from '../lib/generate-events.ts';

interface GeneratorState {
  settings: TGeneratorSettings;
  setSettings: (changes: Partial<TGeneratorSettings>) => void;
  /** An ingest key for sending, when the signed-in key may only read. Kept in memory only. */
  ingestKey: string;
  setIngestKey: (ingestKey: string) => void;
}

export const useGeneratorStore = create<GeneratorState>()((set) => ({
  settings: { eventTypes: [...GENERATOR_EVENT_TYPES], users: 50, devices: [...GENERATOR_DEVICES], spreadDays: 0, batchSize: 100, batches: 20, rate: 5 },
  setSettings: (changes) => set((state) => ({ settings: { ...state.settings, ...changes } })),
  ingestKey: '',
  setIngestKey: (ingestKey) => set({ ingestKey }),
}));
