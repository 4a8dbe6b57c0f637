import { Input, NumberInput, SegmentedControl, SimpleGrid } from '@mantine/core';
import { SCENARIOS, type TScenarioKnob, type TScenarioKnobValues, type TScenarioName } from '@pulse/shared/scenario-catalog';

interface ScenarioKnobsProps {
  scenario: TScenarioName;
  values: TScenarioKnobValues;
  onChange: (changes: TScenarioKnobValues) => void;
}

/** One input per knob the scenario's spec declares, within the spec's bounds. */
export function ScenarioKnobs({ scenario, values, onChange }: ScenarioKnobsProps) {
  const knobs: Record<string, TScenarioKnob> = SCENARIOS[scenario].knobs;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
      {Object.entries(knobs).map(([name, knob]) =>
        knob.kind === 'number' ? (
          <NumberInput
            key={name}
            label={knob.label}
            description={knob.description}
            min={knob.min}
            max={knob.max}
            suffix={` ${knob.unit}`}
            value={values[name]}
            onChange={(value) => onChange({ [name]: value })}
            data-testid={`knob-${name}`}
          />
        ) : (
          <Input.Wrapper key={name} label={knob.label} description={knob.description}>
            <SegmentedControl
              fullWidth
              mt={4}
              data={[...knob.choices]}
              value={String(values[name])}
              onChange={(value) => onChange({ [name]: value })}
              data-testid={`knob-${name}`}
            />
          </Input.Wrapper>
        ),
      )}
    </SimpleGrid>
  );
}
