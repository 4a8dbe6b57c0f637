import { create } from 'zustand';
import { GENERATOR_DEVICES, GENERATOR_EVENT_TYPES, type TGeneratorSettings } from '../lib/generate-events.ts';

export interface TGeneratorRun {
  status: 'idle' | 'sending' | 'waiting' | 'done' | 'cancelled' | 'failed';
  batchesSent: number;
  batchesTotal: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  queued: number;
  /** Batches sent again after a 429 or 503, with the same message ids. */
  retries: number;
  message: string | null;
}

export const IDLE_RUN: TGeneratorRun = {
  status: 'idle',
  batchesSent: 0,
  batchesTotal: 0,
  accepted: 0,
  duplicates: 0,
  rejected: 0,
  queued: 0,
  retries: 0,
  message: null,
};

interface GeneratorState {
  settings: TGeneratorSettings;
  setSettings: (changes: Partial<TGeneratorSettings>) => void;
  /** An ingest key for sending, when the signed-in key may only read. Kept in memory only. */
  ingestKey: string;
  setIngestKey: (ingestKey: string) => void;
  /** The current or last run: kept here, not in the page, so leaving the page neither loses its tally nor its Cancel. */
  run: TGeneratorRun;
  updateRun: (change: (run: TGeneratorRun) => TGeneratorRun) => void;
  cancelRequested: boolean;
}

export const useGeneratorStore = create<GeneratorState>()((set) => ({
  settings: { eventTypes: [...GENERATOR_EVENT_TYPES], users: 50, devices: [...GENERATOR_DEVICES], spreadDays: 0, batchSize: 100, batches: 20, rate: 5 },
  setSettings: (changes) => set((state) => ({ settings: { ...state.settings, ...changes } })),
  ingestKey: '',
  setIngestKey: (ingestKey) => set({ ingestKey }),
  run: IDLE_RUN,
  updateRun: (change) => set((state) => ({ run: change(state.run) })),
  cancelRequested: false,
}));

export const isRunBusy = (run: TGeneratorRun): boolean => run.status === 'sending' || run.status === 'waiting';
