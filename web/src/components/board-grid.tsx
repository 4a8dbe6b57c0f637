import { Box, Text } from '@mantine/core';
import { GRID_COLUMNS, type TTile } from '@pulse/shared/boards';
import { moveTile, possibleMoves, removeTile, resizeTile } from '../lib/board-layout.ts';
import { BoardTile } from './board-tile.tsx';
import { TileControls } from './tile-controls.tsx';

/** Height of one row of the grid; a tile is `h` rows high. */
const ROW_HEIGHT = 56;

interface BoardGridProps {
  tiles: TTile[];
  /** Saves a new layout; absent for those who may only look. */
  onChange?: (tiles: TTile[]) => void;
}

/**
 * The tiles where their layout puts them, on a CSS grid of GRID_COLUMNS columns (Mantine's grids flow their
 * children; a board places each tile at its own row and column).
 */
export function BoardGrid({ tiles, onChange }: BoardGridProps) {
  if (tiles.length === 0) {
    return (
      <Text c="dimmed" data-testid="board-empty">
        This board has no tiles yet.{onChange ? ' Add one: any Overview insight, with its range and filters.' : ''}
      </Text>
    );
  }
  return (
    <Box
      data-testid="board-grid"
      style={{
        display: 'grid',
        gridTemplateColumns: `repeat(${GRID_COLUMNS}, minmax(0, 1fr))`,
        gridAutoRows: ROW_HEIGHT,
        gap: 'var(--mantine-spacing-md)',
      }}
    >
      {tiles.map((tile) => {
        const { x, y, w, h } = tile.layout;
        return (
          <Box key={tile.id} style={{ gridColumn: `${x + 1} / span ${w}`, gridRow: `${y + 1} / span ${h}`, minWidth: 0 }}>
            <BoardTile
              tile={tile}
              controls={
                onChange ? (
                  <TileControls
                    title={tile.title}
                    width={w}
                    moves={possibleMoves(tiles, tile.id)}
                    onMove={(move) => onChange(moveTile(tiles, tile.id, move))}
                    onResize={(width) => onChange(resizeTile(tiles, tile.id, width))}
                    onRemove={() => onChange(removeTile(tiles, tile.id))}
                  />
                ) : undefined
              }
            />
          </Box>
        );
      })}
    </Box>
  );
}
