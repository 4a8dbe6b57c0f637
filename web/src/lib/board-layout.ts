import { GRID_COLUMNS, type TTileLayout } from '@pulse/shared/boards';

/**
 * A board's layout as rows of tiles, each row left-aligned and at most GRID_COLUMNS wide. Any layout the API
 * holds is read as rows (tiles sharing a first row, left to right); every edit writes whole rows back, so an
 * edited board never has overlapping tiles, and moves are simple to say: left and right swap neighbours,
 * up and down move a tile into the row above or below, or onto a row of its own where it does not fit.
 */

export interface TLaidOut {
  id: string;
  layout: TTileLayout;
}

/** The widths the editor offers: a quarter, a third, half and the whole grid. */
export const TILE_WIDTHS = [3, 4, 6, 12] as const;
export type TTileWidth = (typeof TILE_WIDTHS)[number];

export type TMove = 'left' | 'right' | 'up' | 'down';

/** Rows of the stored layout: by first row, then column; a row wider than the grid wraps onto the next. */
export function toRows<T extends TLaidOut>(tiles: readonly T[]): T[][] {
  const byRow = new Map<number, T[]>();
  for (const tile of tiles) byRow.set(tile.layout.y, [...(byRow.get(tile.layout.y) ?? []), tile]);
  return [...byRow.entries()].sort(([a], [b]) => a - b).flatMap(([, row]) => wrap(row.sort((a, b) => a.layout.x - b.layout.x)));
}

/** The tiles with the layout their rows give them: packed from the left, each row below the tallest tile above. */
export function fromRows<T extends TLaidOut>(rows: readonly T[][]): T[] {
  const tiles: T[] = [];
  let y = 0;
  for (const row of rows.filter((tiles) => tiles.length > 0)) {
    let x = 0;
    for (const tile of row) {
      tiles.push({ ...tile, layout: { ...tile.layout, x, y } });
      x += tile.layout.w;
    }
    y += Math.max(...row.map((tile) => tile.layout.h));
  }
  return tiles;
}

/** A row as rows that fit the grid, in order (most rows already fit and stay as they are). */
function wrap<T extends TLaidOut>(row: readonly T[]): T[][] {
  const rows: T[][] = [[]];
  let used = 0;
  for (const tile of row) {
    if (used + tile.layout.w > GRID_COLUMNS && rows.at(-1)!.length > 0) {
      rows.push([]);
      used = 0;
    }
    rows.at(-1)!.push(tile);
    used += tile.layout.w;
  }
  return rows.filter((tiles) => tiles.length > 0);
}

const widthOf = (row: readonly TLaidOut[]) => row.reduce((sum, tile) => sum + tile.layout.w, 0);

/** Where a tile at column `x` goes in `row`: before the first tile that starts at or after it. */
function slotFor(row: readonly TLaidOut[], x: number): number {
  const index = row.findIndex((tile) => tile.layout.x >= x);
  return index < 0 ? row.length : index;
}

function locate(rows: readonly TLaidOut[][], id: string): { row: number; index: number } | null {
  for (const [row, tiles] of rows.entries()) {
    const index = tiles.findIndex((tile) => tile.id === id);
    if (index >= 0) return { row, index };
  }
  return null;
}

/** A new tile at the end: in the last row if it fits there, else on a row of its own. */
export function addTile<T extends TLaidOut>(tiles: readonly T[], tile: T): T[] {
  const rows = toRows(tiles);
  const last = rows.at(-1);
  if (last && widthOf(last) + tile.layout.w <= GRID_COLUMNS) last.push(tile);
  else rows.push([tile]);
  return fromRows(rows);
}

export function removeTile<T extends TLaidOut>(tiles: readonly T[], id: string): T[] {
  return fromRows(toRows(tiles).map((row) => row.filter((tile) => tile.id !== id)));
}

/** The moves that would change anything for this tile. */
export function possibleMoves(tiles: readonly TLaidOut[], id: string): Record<TMove, boolean> {
  const rows = toRows(tiles);
  const at = locate(rows, id);
  if (!at) return { left: false, right: false, up: false, down: false };
  const row = rows[at.row]!;
  const alone = row.length === 1;
  return {
    left: at.index > 0,
    right: at.index < row.length - 1,
    // Alone on the first (or last) row, there is nowhere further to go.
    up: at.row > 0 || !alone,
    down: at.row < rows.length - 1 || !alone,
  };
}

/**
 * Left and right swap the tile with its neighbour in the row. Up moves it into the row above, at its column,
 * if it fits there, else onto a row of its own above that row (down likewise, below); from the first row (or
 * the last) it gets a row of its own. A move that is not possible leaves the layout as it was.
 */
export function moveTile<T extends TLaidOut>(tiles: readonly T[], id: string, move: TMove): T[] {
  const rows = toRows(tiles);
  const at = locate(rows, id);
  if (!at || !possibleMoves(tiles, id)[move]) return fromRows(rows);
  const row = rows[at.row]!;
  const tile = row[at.index]!;
  if (move === 'left' || move === 'right') {
    const other = move === 'left' ? at.index - 1 : at.index + 1;
    [row[at.index], row[other]] = [row[other]!, tile];
    return fromRows(rows);
  }
  row.splice(at.index, 1);
  const step = move === 'up' ? -1 : 1;
  const target = rows[at.row + step];
  if (target && widthOf(target) + tile.layout.w <= GRID_COLUMNS) {
    target.splice(slotFor(target, tile.layout.x), 0, tile);
  } else {
    // Past the row above (or below) when it has no room; at the edge, just off its own row.
    const beside = target ? at.row + step : at.row;
    rows.splice(move === 'up' ? beside : beside + 1, 0, [tile]);
  }
  return fromRows(rows);
}

/** A new width for the tile; tiles that no longer fit in its row wrap onto a row below. */
export function resizeTile<T extends TLaidOut>(tiles: readonly T[], id: string, w: number): T[] {
  const width = Math.min(GRID_COLUMNS, Math.max(1, Math.round(w)));
  const rows = toRows(tiles).map((row) => row.map((tile) => (tile.id === id ? { ...tile, layout: { ...tile.layout, w: width } } : tile)));
  return fromRows(rows.flatMap((row) => wrap(row)));
}

/** Whether two tiles share a cell (an edited board never has such tiles). */
export function overlaps(a: TTileLayout, b: TTileLayout): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
