import { Button, Checkbox, Group, Input, Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import type { TInsightProcedure, TRangePreset, TTile } from '@pulse/shared/boards';
import { useState, type FormEvent } from 'react';
import { useCatalog } from '../hooks/use-overview-data.ts';
import {
  defaultTitle,
  granularitiesFor,
  granularityFor,
  INSIGHT_CHOICES,
  INSIGHT_KINDS,
  insightOf,
  newInsightForm,
  newTileId,
  type TInsightForm,
} from '../lib/board-insights.ts';
import { TILE_WIDTHS } from '../lib/board-layout.ts';
import { rangeOfTilePreset, TILE_PRESETS } from '../lib/board-range.ts';
import { filterLabel } from '../lib/filter-labels.ts';
import { useOverviewFilters } from '../stores/overview-store.ts';
import { ErrorAlert } from './error-alert.tsx';
import { TileInsightFields } from './tile-insight-fields.tsx';

interface BoardAddTileModalProps {
  opened: boolean;
  onClose: () => void;
  /** Saves the board with the new tile; resolves to the server's refusal, or undefined once saved. */
  onAdd: (tile: TTile) => Promise<unknown>;
}

/** "Add tile": an insight, its main parameters, its range, a title and a width; where it goes is the board's business. */
export function BoardAddTileModal({ opened, onClose, onAdd }: BoardAddTileModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Add tile" size="lg">
      {/* Mounted while open only: each opening starts from a fresh form. */}
      {opened ? <AddTileForm onAdd={onAdd} onDone={onClose} /> : null}
    </Modal>
  );
}

function AddTileForm({ onAdd, onDone }: { onAdd: BoardAddTileModalProps['onAdd']; onDone: () => void }) {
  const overviewFilters = useOverviewFilters();
  const [form, setForm] = useState<TInsightForm>(() => newInsightForm(Intl.DateTimeFormat().resolvedOptions().timeZone));
  const [title, setTitle] = useState('');
  const [width, setWidth] = useState<number>(INSIGHT_KINDS[form.procedure].width);
  const [keepFilters, setKeepFilters] = useState(true);
  const [refusal, setRefusal] = useState<unknown>(undefined);
  const [adding, setAdding] = useState(false);
  const needsCatalog = ['analytics.timeseries', 'analytics.propertyBreakdown', 'analytics.funnel'].includes(form.procedure);
  const catalog = useCatalog(rangeOfTilePreset(form.rangePreset), needsCatalog);
  const filters = keepFilters ? overviewFilters : [];
  const built = insightOf({ ...form, filters });

  const change = (changes: Partial<TInsightForm>) => setForm((current) => ({ ...current, ...changes }));
  const chooseProcedure = (procedure: TInsightProcedure) => {
    change({ procedure });
    setWidth(INSIGHT_KINDS[procedure].width);
  };
  // A chart keeps its granularity while the new range can be charted by it.
  const choosePreset = (rangePreset: TRangePreset) =>
    change({ rangePreset, ...(granularitiesFor(rangePreset).includes(form.granularity) ? {} : { granularity: granularityFor(rangePreset) }) });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if ('missing' in built) return;
    setAdding(true);
    const tile: TTile = {
      id: newTileId(),
      title: title.trim() || defaultTitle(form),
      // Where it goes is the layout's to say; the board appends it.
      layout: { x: 0, y: 0, w: width, h: INSIGHT_KINDS[form.procedure].height },
      insight: built.insight,
    };
    const error = await onAdd(tile);
    setAdding(false);
    if (error === undefined) onDone();
    else setRefusal(error);
  };

  return (
    <form onSubmit={(event) => void submit(event)} data-testid="add-tile-form">
      <Stack>
        <Select
          label="Insight"
          data={INSIGHT_CHOICES}
          value={form.procedure}
          onChange={(procedure) => procedure && chooseProcedure(procedure as TInsightProcedure)}
          allowDeselect={false}
          data-testid="tile-insight"
        />
        <TileInsightFields form={form} onChange={change} catalog={catalog.data} />
        <Input.Wrapper label="Range">
          <div>
            <SegmentedControl<TRangePreset> data={TILE_PRESETS} value={form.rangePreset} onChange={choosePreset} data-testid="tile-range" />
          </div>
        </Input.Wrapper>
        {overviewFilters.length > 0 ? (
          <Checkbox
            label={`Count by the Overview's filters: ${overviewFilters.map(filterLabel).join(', ')}`}
            checked={keepFilters}
            onChange={(event) => setKeepFilters(event.currentTarget.checked)}
            data-testid="tile-keep-filters"
          />
        ) : null}
        <TextInput
          label="Title"
          placeholder={defaultTitle(form)}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          data-testid="tile-title-input"
        />
        <Input.Wrapper label="Width" description="Columns of the board's 12">
          <div>
            <SegmentedControl
              data={TILE_WIDTHS.map((value) => ({ value: String(value), label: String(value) }))}
              value={String(width)}
              onChange={(value) => setWidth(Number(value))}
              data-testid="tile-width-input"
            />
          </div>
        </Input.Wrapper>
        {refusal === undefined ? null : (
          <div data-testid="add-tile-error">
            <ErrorAlert error={refusal} />
          </div>
        )}
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {'missing' in built ? `To add it, ${built.missing}.` : null}
          </Text>
          <Button type="submit" disabled={'missing' in built} loading={adding} data-testid="add-tile-submit">
            Add tile
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
