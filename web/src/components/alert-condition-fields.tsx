import { Group, NumberInput, SegmentedControl, Select } from '@mantine/core';
import { anomalyUnavailableReason, type TAlertRuleDraft, type TDirection } from '../lib/alert-rules.ts';

interface AlertConditionFieldsProps {
  draft: TAlertRuleDraft;
  onChange: (fields: Partial<TAlertRuleDraft>) => void;
}

const CONDITIONS = [
  { value: 'above', label: 'Above a value' },
  { value: 'below', label: 'Below a value' },
  { value: 'change', label: 'Changes by a percentage' },
];
const ANOMALOUS = { value: 'anomalous', label: 'Anomalous (against past weeks)' };
const DIRECTIONS = [
  { value: 'up', label: 'Up' },
  { value: 'down', label: 'Down' },
  { value: 'either', label: 'Either way' },
];
const AGAINST = [
  { value: 'previous', label: 'the previous window' },
  { value: 'weekAgo', label: 'the same window a week before' },
];

/** When a window breaches: the kind of condition, then only the fields that kind needs. */
export function AlertConditionFields({ draft, onChange }: AlertConditionFieldsProps) {
  const anomalyReason = anomalyUnavailableReason(draft);
  const conditions = [...CONDITIONS, anomalyReason ? { ...ANOMALOUS, label: 'Anomalous (not for goals or filtered events)', disabled: true } : ANOMALOUS];
  const direction = (
    <SegmentedControl
      data={DIRECTIONS}
      value={draft.direction}
      onChange={(value) => onChange({ direction: value as TDirection })}
      data-testid="alert-direction"
    />
  );
  return (
    <Group align="flex-end" gap="sm">
      <Select
        label="Breaches when the count is"
        w={260}
        data={conditions}
        value={draft.condition}
        // A rule chosen anomalous before its metric became a goal or got filters: say why it cannot stay so.
        error={draft.condition === 'anomalous' ? anomalyReason : null}
        allowDeselect={false}
        onChange={(condition) => condition && onChange({ condition: condition as TAlertRuleDraft['condition'] })}
        data-testid="alert-condition"
      />
      {draft.condition === 'above' || draft.condition === 'below' ? (
        <NumberInput label="Value" min={0} w={140} value={draft.value} onChange={(value) => onChange({ value })} data-testid="alert-value" />
      ) : null}
      {draft.condition === 'change' ? (
        <>
          {direction}
          <NumberInput label="By %" min={0} w={100} value={draft.percent} onChange={(percent) => onChange({ percent })} data-testid="alert-percent" />
          <Select
            label="Against"
            data={AGAINST}
            value={draft.against}
            allowDeselect={false}
            onChange={(against) => against && onChange({ against: against as TAlertRuleDraft['against'] })}
            data-testid="alert-against"
          />
        </>
      ) : null}
      {draft.condition === 'anomalous' ? direction : null}
    </Group>
  );
}
