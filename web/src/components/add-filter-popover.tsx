import { Autocomplete, Button, Group, NumberInput, Popover, Select, Stack, TextInput } from '@mantine/core';
import type { TSummaryRequest } from '@pulse/shared/analytics';
import { FILTER_COLUMNS, type TFilter, type TFilters } from '@pulse/shared/filters';
import { useState, type FormEvent } from 'react';
import { useCatalog, useFilterValueSuggestions } from '../hooks/use-overview-data.ts';
import {
  FIELD_LABELS,
  NUMERIC_OPERATORS,
  OPERATOR_LABELS,
  operatorsFor,
  VALUELESS_OPERATORS,
  type TFilterField,
  type TFilterOperator,
} from '../lib/filter-labels.ts';
import { ErrorAlert } from './error-alert.tsx';

const FIELD_CHOICES = [...FILTER_COLUMNS.map((column) => ({ value: column, label: FIELD_LABELS[column] })), { value: 'property', label: 'Property…' }];
// Pickers inside the popover keep their lists in it: a list in a portal would count as a click outside, closing it.
const IN_POPOVER = { comboboxProps: { withinPortal: false } };

interface AddFilterPopoverProps {
  range: TSummaryRequest;
  filters: TFilters;
  /** Resolves to the API's refusal of the filter, or undefined once it is applied. */
  onAdd: (filter: TFilter) => Promise<unknown>;
}

/** "Add filter": a field (a column, or a property by key), an operator the field allows, and a value. */
export function AddFilterPopover(props: AddFilterPopoverProps) {
  const [opened, setOpened] = useState(false);
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-start" width={340} shadow="md" withArrow trapFocus>
      <Popover.Target>
        <Button size="xs" variant="light" onClick={() => setOpened((open) => !open)} data-testid="add-filter">
          Add filter
        </Button>
      </Popover.Target>
      <Popover.Dropdown data-testid="add-filter-form">{opened ? <AddFilterForm {...props} onDone={() => setOpened(false)} /> : null}</Popover.Dropdown>
    </Popover>
  );
}

/** The filter the form describes, or null while it is incomplete. */
function filterOf(field: TFilterField | null, key: string, operator: TFilterOperator, value: string | number): TFilter | null {
  if (field === null || (field === 'property' && key.trim() === '')) return null;
  const takesValue = !VALUELESS_OPERATORS.has(operator);
  if (takesValue && String(value).trim() === '') return null;
  if (field === 'property') {
    if (!takesValue) return { field, key, operator };
    return { field, key, operator, value: NUMERIC_OPERATORS.has(operator) ? Number(value) : String(value) };
  }
  // The operator came from operatorsFor(field); the API checks the pair anyway.
  return { field, operator, value: String(value) } as TFilter;
}

function AddFilterForm({ range, filters, onAdd, onDone }: AddFilterPopoverProps & { onDone: () => void }) {
  const [field, setField] = useState<TFilterField | null>(null);
  const [key, setKey] = useState('');
  const [operator, setOperator] = useState<TFilterOperator>('is');
  const [value, setValue] = useState<string | number>('');
  const [refusal, setRefusal] = useState<unknown>(undefined);
  const [adding, setAdding] = useState(false);
  const column = field === null || field === 'property' ? null : field;
  const suggestions = useFilterValueSuggestions(range, column, filters);
  const catalog = useCatalog(range, field === 'property');
  const filter = filterOf(field, key, operator, value);

  const chooseField = (chosen: string | null) => {
    setField(chosen as TFilterField | null);
    setOperator('is');
    setValue('');
    setRefusal(undefined);
  };
  const chooseOperator = (chosen: TFilterOperator) => {
    // A number typed for "≥" is no text for "is", nor the reverse.
    if (NUMERIC_OPERATORS.has(chosen) !== NUMERIC_OPERATORS.has(operator)) setValue('');
    setOperator(chosen);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Drawn in a portal, but inside any form around it in React's tree: its submit must not send that form too.
    event.stopPropagation();
    if (!filter) return;
    setAdding(true);
    const error = await onAdd(filter);
    setAdding(false);
    if (error === undefined) onDone();
    else setRefusal(error);
  };

  return (
    <form onSubmit={(event) => void submit(event)}>
      <Stack gap="xs">
        <Select
          label="Field"
          placeholder="Choose a field"
          data={FIELD_CHOICES}
          value={field}
          onChange={chooseField}
          data-testid="filter-field"
          {...IN_POPOVER}
        />
        {field === 'property' ? (
          <Autocomplete
            label="Property key"
            placeholder="e.g. plan"
            data={catalog.data?.propertyKeys.map((property) => property.key) ?? []}
            value={key}
            onChange={setKey}
            data-testid="filter-key"
            {...IN_POPOVER}
          />
        ) : null}
        {field !== null ? (
          <Select
            label="Operator"
            data={operatorsFor(field).map((option) => ({ value: option, label: OPERATOR_LABELS[option] }))}
            value={operator}
            onChange={(chosen) => chosen && chooseOperator(chosen as TFilterOperator)}
            allowDeselect={false}
            data-testid="filter-operator"
            {...IN_POPOVER}
          />
        ) : null}
        {field === null || VALUELESS_OPERATORS.has(operator) ? null : NUMERIC_OPERATORS.has(operator) ? (
          <NumberInput label="Value" value={value} onChange={setValue} data-testid="filter-value" />
        ) : column ? (
          <Autocomplete label="Value" data={suggestions} value={String(value)} onChange={setValue} data-testid="filter-value" {...IN_POPOVER} />
        ) : (
          <TextInput label="Value" value={String(value)} onChange={(change) => setValue(change.currentTarget.value)} data-testid="filter-value" />
        )}
        {refusal === undefined ? null : (
          <div data-testid="add-filter-error">
            <ErrorAlert error={refusal} />
          </div>
        )}
        <Group justify="flex-end">
          <Button type="submit" size="xs" disabled={filter === null} loading={adding} data-testid="filter-apply">
            Apply
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
