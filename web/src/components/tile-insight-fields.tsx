import { ActionIcon, Autocomplete, Button, Group, Select, Stack, Text } from '@mantine/core';
import type { TBreakdownDimension, TCatalogResponse, TGranularity } from '@pulse/shared/analytics';
import { COHORT_PERIODS, type TCohortPeriod } from '@pulse/shared/cohorts';
import { FUNNEL_LIMITS } from '@pulse/shared/funnels';
import { DIMENSION_CHOICES, granularitiesFor, type TInsightForm } from '../lib/board-insights.ts';
import { GRANULARITY_LABELS } from '../lib/granularity-options.ts';

interface TileInsightFieldsProps {
  form: TInsightForm;
  onChange: (changes: Partial<TInsightForm>) => void;
  /** Event names and property keys of the tile's range, to choose from (undefined while they load). */
  catalog: TCatalogResponse | undefined;
}

/** The main parameters of the chosen insight: the event to chart, the dimension or property to break down by, the funnel's steps. */
export function TileInsightFields({ form, onChange, catalog }: TileInsightFieldsProps) {
  const eventNames = catalog?.eventNames.map((event) => event.name) ?? [];
  switch (form.procedure) {
    case 'analytics.timeseries':
      return (
        <Group grow align="flex-start">
          <Select
            label="Event"
            placeholder="All events"
            data={eventNames}
            value={form.eventName}
            onChange={(eventName) => onChange({ eventName })}
            searchable
            clearable
            data-testid="tile-event-name"
          />
          <Select
            label="Granularity"
            data={granularitiesFor(form.rangePreset).map((value) => ({ value, label: GRANULARITY_LABELS[value] }))}
            value={form.granularity}
            onChange={(granularity) => granularity && onChange({ granularity: granularity as TGranularity })}
            allowDeselect={false}
            data-testid="tile-granularity"
          />
        </Group>
      );
    case 'analytics.breakdown':
      return (
        <Select
          label="Break down by"
          data={DIMENSION_CHOICES}
          value={form.by}
          onChange={(by) => by && onChange({ by: by as TBreakdownDimension })}
          allowDeselect={false}
          data-testid="tile-dimension"
        />
      );
    case 'analytics.propertyBreakdown':
      return (
        <Autocomplete
          label="Property key"
          placeholder="e.g. plan"
          data={catalog?.propertyKeys.map((property) => property.key) ?? []}
          value={form.propertyKey}
          onChange={(propertyKey) => onChange({ propertyKey })}
          data-testid="tile-property-key"
        />
      );
    case 'analytics.retention':
      return (
        <Select
          label="Cohorts by"
          data={COHORT_PERIODS.map((value) => ({ value, label: value }))}
          value={form.period}
          onChange={(period) => period && onChange({ period: period as TCohortPeriod })}
          allowDeselect={false}
          data-testid="tile-period"
        />
      );
    case 'analytics.funnel':
      return <FunnelSteps steps={form.steps} eventNames={eventNames} onChange={(steps) => onChange({ steps })} />;
    case 'analytics.goals':
      return (
        <Text size="sm" c="dimmed">
          Every goal of this tenant: its conversions, visitors and rate (goals are defined through the API).
        </Text>
      );
    case 'analytics.summary':
      return (
        <Text size="sm" c="dimmed">
          Events, users, sessions and the top event of the range.
        </Text>
      );
  }
}

function FunnelSteps({ steps, eventNames, onChange }: { steps: string[]; eventNames: string[]; onChange: (steps: string[]) => void }) {
  const replace = (index: number, name: string) => onChange(steps.map((step, at) => (at === index ? name : step)));
  return (
    <Stack gap="xs">
      {steps.map((step, index) => (
        <Group key={index} gap="xs" align="flex-end" wrap="nowrap">
          <Select
            style={{ flex: 1 }}
            label={`Step ${index + 1}`}
            placeholder="Choose an event"
            data={eventNames}
            value={step || null}
            onChange={(name) => replace(index, name ?? '')}
            searchable
            data-testid={`tile-funnel-step-${index + 1}`}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            mb={6}
            disabled={steps.length <= FUNNEL_LIMITS.minSteps}
            onClick={() => onChange(steps.filter((_, at) => at !== index))}
            aria-label={`Remove step ${index + 1}`}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button size="xs" variant="light" disabled={steps.length >= FUNNEL_LIMITS.maxSteps} onClick={() => onChange([...steps, ''])}>
          Add step
        </Button>
      </Group>
    </Stack>
  );
}
