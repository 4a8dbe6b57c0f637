import { Group, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { SCENARIOS, SCENARIO_NAMES, type TScenarioName } from '@pulse/shared/scenario-catalog';

interface ScenarioPickerProps {
  value: TScenarioName;
  onChange: (scenario: TScenarioName) => void;
}

export function ScenarioPicker({ value, onChange }: ScenarioPickerProps) {
  return (
    <Radio.Group value={value} onChange={onChange} label="Scenario" data-testid="scenario-select">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} mt="xs">
        {SCENARIO_NAMES.map((name) => (
          <Radio.Card key={name} value={name} p="sm" data-testid={`scenario-option-${name}`}>
            <Group wrap="nowrap" align="flex-start">
              <Radio.Indicator />
              <Stack gap={2}>
                <Text fw={600}>{SCENARIOS[name].title}</Text>
                <Text size="xs" c="dimmed">
                  {SCENARIOS[name].summary}
                </Text>
              </Stack>
            </Group>
          </Radio.Card>
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}
