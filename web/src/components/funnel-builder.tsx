import { Autocomplete, Button, Group, Paper, Select, Stack, Text } from '@mantine/core';
import type { TSummaryRequest } from '@pulse/shared/analytics';
import type { TEventMatch } from '@pulse/shared/event-match';
import { FUNNEL_BREAKDOWN_COLUMNS, FUNNEL_LIMITS, type TFunnelBreakdown } from '@pulse/shared/funnels';
import { useState, type FormEvent } from 'react';
import { useCatalog } from '../hooks/use-overview-data.ts';
import { FIELD_LABELS } from '../lib/filter-labels.ts';
import type { TFunnelDefinition } from '../lib/funnel-hash.ts';
import { formatTimeSpan } from '../lib/time-span.ts';
import { isCompleteMatch, MatchInput } from './funnel-match-input.tsx';

const HOUR_SECONDS = 3_600;
const DAY_SECONDS = 24 * HOUR_SECONDS;
const WINDOW_CHOICES = [
  { value: String(HOUR_SECONDS), label: '1 h' },
  { value: String(DAY_SECONDS), label: '1 day' },
  { value: String(7 * DAY_SECONDS), label: '7 days' },
  { value: String(30 * DAY_SECONDS), label: '30 days' },
];

const NO_BREAKDOWN = 'none';
const BY_PROPERTY = 'property';
const BREAKDOWN_CHOICES = [
  { value: NO_BREAKDOWN, label: 'No breakdown' },
  ...FUNNEL_BREAKDOWN_COLUMNS.map((column) => ({ value: column, label: FIELD_LABELS[column] })),
  { value: BY_PROPERTY, label: 'Property…' },
];

const NEW_FUNNEL: TFunnelDefinition = {
  steps: [
    { kind: 'event', name: '' },
    { kind: 'event', name: '' },
  ],
  windowSeconds: FUNNEL_LIMITS.defaultWindowSeconds,
};

interface FunnelBuilderProps {
  /** The funnel shown now, to start from; none: two empty steps. */
  shown: TFunnelDefinition | null;
  range: TSummaryRequest;
  onShow: (funnel: TFunnelDefinition) => void;
}

/** The funnel as being written: 2 to 8 steps, the window to do them in, a breakdown; "Show funnel" asks for it. */
export function FunnelBuilder({ shown, range, onShow }: FunnelBuilderProps) {
  const initial = shown ?? NEW_FUNNEL;
  const [steps, setSteps] = useState<TEventMatch[]>(initial.steps);
  const [windowSeconds, setWindowSeconds] = useState(initial.windowSeconds);
  const [breakdownChoice, setBreakdownChoice] = useState(breakdownChoiceOf(initial.breakdown));
  const [propertyKey, setPropertyKey] = useState(typeof initial.breakdown === 'object' ? initial.breakdown.property : '');
  const catalog = useCatalog(range, true);
  const eventNames = catalog.data?.eventNames.map((event) => event.name) ?? [];
  const windowChoices = WINDOW_CHOICES.some((choice) => choice.value === String(windowSeconds))
    ? WINDOW_CHOICES
    : [...WINDOW_CHOICES, { value: String(windowSeconds), label: formatTimeSpan(windowSeconds) }];
  const breakdown: TFunnelBreakdown | undefined =
    breakdownChoice === NO_BREAKDOWN ? undefined : breakdownChoice === BY_PROPERTY ? { property: propertyKey } : (breakdownChoice as TFunnelBreakdown);
  const complete = steps.every(isCompleteMatch) && (breakdownChoice !== BY_PROPERTY || propertyKey.trim() !== '');

  const setStep = (index: number, step: TEventMatch) => setSteps((current) => current.map((present, at) => (at === index ? step : present)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The whole funnel's filters are set beside the result; a changed step keeps them.
    if (complete) onShow({ steps, windowSeconds, ...(breakdown ? { breakdown } : {}), ...(shown?.filters ? { filters: shown.filters } : {}) });
  };

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} data-testid="funnel-builder">
      <Stack gap="sm">
        {steps.map((step, index) => (
          // Steps have no identity of their own; removing one re-renders those after it with their new values.
          <Group key={index} gap="sm" align="center" wrap="nowrap" data-testid="funnel-step">
            <Text fw={600} miw={64}>
              Step {index + 1}
            </Text>
            <MatchInput
              value={step}
              onChange={(next) => setStep(index, next)}
              eventNames={eventNames}
              range={range}
              label={`Step ${index + 1}`}
              testId={`funnel-step-${index + 1}`}
            />
            <Button
              size="xs"
              variant="subtle"
              color="red"
              disabled={steps.length <= FUNNEL_LIMITS.minSteps}
              onClick={() => setSteps((current) => current.filter((_, at) => at !== index))}
              aria-label={`Remove step ${index + 1}`}
              ml="auto"
            >
              Remove
            </Button>
          </Group>
        ))}
        <Group gap="sm" align="flex-end">
          <Button
            variant="light"
            size="xs"
            disabled={steps.length >= FUNNEL_LIMITS.maxSteps}
            onClick={() => setSteps((current) => [...current, { kind: 'event', name: '' }])}
            data-testid="funnel-add-step"
          >
            Add step
          </Button>
          <Text size="xs" c="dimmed">
            {FUNNEL_LIMITS.minSteps} to {FUNNEL_LIMITS.maxSteps} steps, done in this order.
          </Text>
        </Group>
        <Group gap="sm" align="flex-end">
          <Select
            label="Within"
            description="of step 1"
            w={140}
            data={windowChoices}
            value={String(windowSeconds)}
            onChange={(value) => value && setWindowSeconds(Number(value))}
            allowDeselect={false}
            data-testid="funnel-window"
          />
          <Select
            label="Breakdown"
            description="by step 1's value"
            w={180}
            data={BREAKDOWN_CHOICES}
            value={breakdownChoice}
            onChange={(value) => value && setBreakdownChoice(value)}
            allowDeselect={false}
            data-testid="funnel-breakdown"
          />
          {breakdownChoice === BY_PROPERTY ? (
            <Autocomplete
              label="Property key"
              placeholder="e.g. plan"
              w={180}
              data={catalog.data?.propertyKeys.map((property) => property.key) ?? []}
              value={propertyKey}
              onChange={setPropertyKey}
              data-testid="funnel-breakdown-property"
            />
          ) : null}
          <Button type="submit" disabled={!complete} ml="auto" data-testid="funnel-show">
            Show funnel
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function breakdownChoiceOf(breakdown: TFunnelBreakdown | undefined): string {
  if (breakdown === undefined) return NO_BREAKDOWN;
  return typeof breakdown === 'string' ? breakdown : BY_PROPERTY;
}
