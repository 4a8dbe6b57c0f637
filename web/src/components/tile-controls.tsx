import { ActionIcon, Group, SegmentedControl, Tooltip } from '@mantine/core';
import { TILE_WIDTHS, type TMove } from '../lib/board-layout.ts';

const MOVES: Array<{ move: TMove; symbol: string; label: string }> = [
  { move: 'left', symbol: '←', label: 'Move left' },
  { move: 'up', symbol: '↑', label: 'Move up' },
  { move: 'down', symbol: '↓', label: 'Move down' },
  { move: 'right', symbol: '→', label: 'Move right' },
];

interface TileControlsProps {
  title: string;
  width: number;
  moves: Record<TMove, boolean>;
  onMove: (move: TMove) => void;
  onResize: (width: number) => void;
  onRemove: () => void;
}

/** A tile's layout buttons: move it, set its width in columns of 12, remove it. */
export function TileControls({ title, width, moves, onMove, onResize, onRemove }: TileControlsProps) {
  return (
    <Group gap={4} justify="flex-end">
      {MOVES.map(({ move, symbol, label }) => (
        <Tooltip key={move} label={label}>
          <ActionIcon
            size="sm"
            variant="subtle"
            disabled={!moves[move]}
            onClick={() => onMove(move)}
            aria-label={`${label}: ${title}`}
            data-testid={`tile-move-${move}`}
          >
            {symbol}
          </ActionIcon>
        </Tooltip>
      ))}
      <SegmentedControl
        size="xs"
        data={TILE_WIDTHS.map((value) => ({ value: String(value), label: String(value) }))}
        value={String(width)}
        onChange={(value) => onResize(Number(value))}
        aria-label={`Width of ${title}, in columns of 12`}
        data-testid="tile-width"
      />
      <Tooltip label="Remove tile">
        <ActionIcon size="sm" variant="subtle" color="red" onClick={onRemove} aria-label={`Remove ${title}`} data-testid="tile-remove">
          ×
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
