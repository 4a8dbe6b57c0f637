import { create } from 'zustand';
import { createJSONStorage, persist, type PersistStorage } from 'zustand/middleware';
import type { TScenarioMark, TScenarioSample, TScenarioVerdict } from '@pulse/shared/scenarios';
import { thinSamples } from '../lib/scenario-series.ts';

/** A finished run as this browser keeps it, and as "Export JSON" saves it. */
export interface TRecordedRun {
  verdict: TScenarioVerdict;
  samples: TScenarioSample[];
  marks: TScenarioMark[];
}

const MAX_RUNS = 10;
/** About 1 kB each: ten full runs stay within the browser's 5 MB of local storage. */
const MAX_SAMPLES_PER_RUN = 600;

interface ScenarioRunsState {
  /** Newest first. */
  runs: TRecordedRun[];
  record: (run: TRecordedRun) => void;
}

type TSavedRuns = Pick<ScenarioRunsState, 'runs'>;

const jsonStorage = createJSONStorage<TSavedRuns>(() => localStorage);

// Should the quota still be reached (other pages' data, a smaller browser limit), the oldest runs are not
// saved: they stay listed until the page is reloaded, and recording a run never fails.
const storage: PersistStorage<TSavedRuns> | undefined = jsonStorage && {
  ...jsonStorage,
  setItem: (name, saved) => {
    for (let runs = saved.state.runs; ; runs = runs.slice(0, -1)) {
      try {
        return jsonStorage.setItem(name, { ...saved, state: { runs } });
      } catch (error) {
        if (runs.length === 0) throw error;
      }
    }
  },
};

/** Kept apart from the knob settings: every change rewrites megabytes, so this store changes only when a run ends. */
export const useScenarioRunsStore = create<ScenarioRunsState>()(
  persist(
    (set) => ({
      runs: [],
      record: (run) =>
        set((state) => ({
          runs: [
            { ...run, samples: thinSamples(run.samples, MAX_SAMPLES_PER_RUN) },
            ...state.runs.filter((recorded) => recorded.verdict.run.runId !== run.verdict.run.runId),
          ].slice(0, MAX_RUNS),
        })),
    }),
    { name: 'pulse-scenario-runs', storage, partialize: (state) => ({ runs: state.runs }) },
  ),
);

export const useRecordedRuns = () => useScenarioRunsStore((state) => state.runs);
export const useRecordRun = () => useScenarioRunsStore((state) => state.record);
