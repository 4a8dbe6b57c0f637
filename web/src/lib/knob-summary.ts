import { SCENARIOS, type TScenarioKnob, type TScenarioKnobValues, type TScenarioName } from '@pulse/shared/scenario-catalog';

/** A run's knobs as the page names them ("Spike length 20 s"), not as the API spells them (`spikeSeconds 20`). */
export function knobSummary(scenario: TScenarioName, values: TScenarioKnobValues): string {
  const knobs: Record<string, TScenarioKnob> = SCENARIOS[scenario].knobs;
  return Object.entries(values)
    .map(([name, value]) => {
      const knob = knobs[name];
      if (!knob) return `${name} ${value}`;
      return knob.kind === 'number' ? `${knob.label} ${value.toLocaleString('en-US')} ${knob.unit}` : `${knob.label} ${value}`;
    })
    .join(' · ');
}
