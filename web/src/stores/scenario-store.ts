import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { SCENARIOS, isScenarioName, type TScenarioKnob, type TScenarioKnobValues, type TScenarioName } from '@pulse/shared/scenario-catalog';
import type { TScenarioRun } from '@pulse/shared/scenarios';

interface ScenarioState {
  scenario: TScenarioName;
  setScenario: (scenario: TScenarioName) => void;
  /** Knob values as entered, per scenario; a number knob holds '' while its input is empty. */
  knobsByScenario: Partial<Record<TScenarioName, TScenarioKnobValues>>;
  setKnobs: (scenario: TScenarioName, changes: TScenarioKnobValues) => void;
  /**
   * The run this page follows, until its verdict is recorded: after a reload or a visit to another page it is
   * followed again, and the server replays its progress (it keeps finished runs' progress for a while).
   */
  followedRun: TScenarioRun | null;
  setFollowedRun: (run: TScenarioRun | null) => void;
  /** A recent run opened from the list; null shows the run started or followed on this page. */
  shownRunId: string | null;
  setShownRunId: (runId: string | null) => void;
}

export const useScenarioStore = create<ScenarioState>()(
  persist(
    (set) => ({
      scenario: 'traffic-spike',
      setScenario: (scenario) => set({ scenario }),
      knobsByScenario: {},
      setKnobs: (scenario, changes) =>
        set((state) => ({ knobsByScenario: { ...state.knobsByScenario, [scenario]: { ...state.knobsByScenario[scenario], ...changes } } })),
      followedRun: null,
      setFollowedRun: (followedRun) => set({ followedRun }),
      shownRunId: null,
      setShownRunId: (shownRunId) => set({ shownRunId }),
    }),
    {
      name: 'pulse-scenario-settings',
      partialize: (state) => ({ scenario: state.scenario, knobsByScenario: state.knobsByScenario, followedRun: state.followedRun }),
      // A scenario saved by an older dashboard may be gone.
      merge: (saved, current) => {
        const { scenario, knobsByScenario, followedRun } = (saved ?? {}) as Partial<ScenarioState>;
        return {
          ...current,
          scenario: isScenarioName(scenario) ? scenario : current.scenario,
          knobsByScenario: knobsByScenario ?? {},
          followedRun: followedRun ?? null,
        };
      },
    },
  ),
);

export const useSelectedScenario = () => useScenarioStore((state) => state.scenario);
export const useSetScenario = () => useScenarioStore((state) => state.setScenario);
export const useSetKnobs = () => useScenarioStore((state) => state.setKnobs);
export const useFollowedRun = () => useScenarioStore((state) => state.followedRun);
export const useSetFollowedRun = () => useScenarioStore((state) => state.setFollowedRun);
export const useShownRunId = () => useScenarioStore((state) => state.shownRunId);
export const useSetShownRunId = () => useScenarioStore((state) => state.setShownRunId);

/** Every knob of `scenario`: the value entered here, else the spec's default. Knobs the spec no longer has are left out. */
export function useKnobValues(scenario: TScenarioName): TScenarioKnobValues {
  const entered = useScenarioStore((state) => state.knobsByScenario[scenario]);
  const knobs: Record<string, TScenarioKnob> = SCENARIOS[scenario].knobs;
  return Object.fromEntries(Object.entries(knobs).map(([name, knob]) => [name, entered?.[name] ?? knob.default]));
}
