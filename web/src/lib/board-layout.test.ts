import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRID_COLUMNS } from '@pulse/shared/boards';
import {
  addTile,
  fromRows,
  moveTile,
  overlaps,
  possibleMoves,
  removeTile,
  resizeTile,
  toRows,
  TILE_WIDTHS,
  type TLaidOut,
  type TMove,
} from './board-layout.ts';

const tile = (id: string, w: number, h = 4, x = 0, y = 0): TLaidOut => ({ id, layout: { x, y, w, h } });

/** "a b | c": the rows, by tile id. */
const rowsOf = (tiles: readonly TLaidOut[]) =>
  toRows(tiles)
    .map((row) => row.map((item) => item.id).join(' '))
    .join(' | ');

/** A board laid out by adding tiles one after the other, as the editor does. */
const board = (...widths: Array<[string, number, number?]>) => widths.reduce<TLaidOut[]>((tiles, [id, w, h]) => addTile(tiles, tile(id, w, h)), []);

describe('adding tiles', () => {
  it('fills a row from the left, then starts the next one below its tallest tile', () => {
    const tiles = board(['a', 6, 3], ['b', 4, 5], ['c', 4, 2]);
    expect(tiles.map((item) => item.layout)).toEqual([
      { x: 0, y: 0, w: 6, h: 3 },
      { x: 6, y: 0, w: 4, h: 5 },
      { x: 0, y: 5, w: 4, h: 2 },
    ]);
  });
});

describe('moving tiles', () => {
  it('swaps a tile with its neighbour for left and right', () => {
    const tiles = board(['a', 4], ['b', 4], ['c', 4]);
    const moved = moveTile(tiles, 'c', 'left');
    expect(rowsOf(moved)).toBe('a c b');
    expect(moved.find((item) => item.id === 'c')!.layout.x).toBe(4);
    expect(rowsOf(moveTile(moved, 'a', 'right'))).toBe('c a b');
  });

  it('moves a tile up into the row above at its column when it fits there', () => {
    const tiles = board(['a', 6], ['b', 12], ['c', 3]);
    expect(rowsOf(tiles)).toBe('a | b | c');
    expect(rowsOf(moveTile(tiles, 'c', 'up'))).toBe('a | c | b');
    const twice = moveTile(moveTile(tiles, 'c', 'up'), 'c', 'up');
    expect(rowsOf(twice)).toBe('c a | b');
  });

  it('puts a tile that does not fit the row above on a row of its own above it, and back down', () => {
    const tiles = board(['a', 12], ['b', 6], ['c', 6]);
    const up = moveTile(tiles, 'b', 'up');
    expect(rowsOf(up)).toBe('b | a | c');
    expect(rowsOf(moveTile(up, 'b', 'down'))).toBe('a | b | c');
    expect(rowsOf(moveTile(moveTile(up, 'b', 'down'), 'b', 'down'))).toBe('a | b c');
  });

  it('gives a tile sharing the first or last row a row of its own at that edge', () => {
    const tiles = board(['a', 6], ['b', 6]);
    expect(rowsOf(moveTile(tiles, 'b', 'up'))).toBe('b | a');
    expect(rowsOf(moveTile(tiles, 'a', 'down'))).toBe('b | a');
  });

  it('offers only the moves that change something', () => {
    const tiles = board(['a', 12], ['b', 6], ['c', 6]);
    expect(possibleMoves(tiles, 'a')).toEqual({ left: false, right: false, up: false, down: true });
    expect(possibleMoves(tiles, 'b')).toEqual({ left: false, right: true, up: true, down: true });
    expect(possibleMoves(tiles, 'c')).toEqual({ left: true, right: false, up: true, down: true });
    expect(moveTile(tiles, 'a', 'up')).toEqual(tiles);
    expect(possibleMoves(tiles, 'nope')).toEqual({ left: false, right: false, up: false, down: false });
  });
});

describe('resizing and removing', () => {
  it('wraps the tiles a wider tile leaves no room for onto a row below', () => {
    const tiles = board(['a', 4], ['b', 4], ['c', 4], ['d', 6]);
    const wide = resizeTile(tiles, 'a', 12);
    expect(rowsOf(wide)).toBe('a | b c | d');
    expect(wide.find((item) => item.id === 'a')!.layout).toMatchObject({ x: 0, w: 12 });
  });

  it('closes the gap a removed tile leaves', () => {
    const tiles = board(['a', 12, 3], ['b', 6], ['c', 6]);
    expect(removeTile(tiles, 'a').map((item) => item.layout)).toEqual([
      { x: 0, y: 0, w: 6, h: 4 },
      { x: 6, y: 0, w: 6, h: 4 },
    ]);
  });
});

describe('reading a layout the API holds', () => {
  it('reads rows by first row and column, and wraps a row wider than the grid', () => {
    const stored = [tile('b', 6, 4, 6, 0), tile('a', 6, 4, 0, 0), tile('c', 8, 2, 0, 9), tile('d', 8, 2, 4, 9)];
    expect(rowsOf(stored)).toBe('a b | c | d');
    expect(fromRows(toRows(stored)).find((item) => item.id === 'd')!.layout).toEqual({ x: 0, y: 6, w: 8, h: 2 });
  });
});

describe('any sequence of edits', () => {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), w: fc.constantFrom(...TILE_WIDTHS), h: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), move: fc.constantFrom<TMove>('left', 'right', 'up', 'down') }),
    fc.record({ kind: fc.constant('resize' as const), pick: fc.nat(), w: fc.constantFrom(...TILE_WIDTHS) }),
    fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  );

  it('keeps every tile on the grid, none over another, and loses or gains none but the ones added or removed', () => {
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 40 }), (edits) => {
        let tiles: TLaidOut[] = [];
        let next = 0;
        const ids = new Set<string>();
        for (const step of edits) {
          const picked = tiles.length > 0 && 'pick' in step ? tiles[step.pick % tiles.length]!.id : undefined;
          if (step.kind === 'add') {
            const id = `t${next++}`;
            ids.add(id);
            tiles = addTile(tiles, tile(id, step.w, step.h));
          } else if (picked && step.kind === 'move') tiles = moveTile(tiles, picked, step.move);
          else if (picked && step.kind === 'resize') tiles = resizeTile(tiles, picked, step.w);
          else if (picked && step.kind === 'remove') {
            ids.delete(picked);
            tiles = removeTile(tiles, picked);
          }
          expect(new Set(tiles.map((item) => item.id))).toEqual(ids);
          for (const [index, a] of tiles.entries()) {
            expect(a.layout.x + a.layout.w).toBeLessThanOrEqual(GRID_COLUMNS);
            for (const b of tiles.slice(index + 1)) expect(overlaps(a.layout, b.layout)).toBe(false);
          }
          // What is saved reads back as the same rows.
          expect(fromRows(toRows(tiles))).toEqual(tiles);
        }
      }),
    );
  });

  it('takes a tile back where it was with left after right', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TILE_WIDTHS), { minLength: 2, maxLength: 8 }), fc.nat(), (widths, pick) => {
        const tiles = board(...widths.map((w, index): [string, number] => [`t${index}`, w]));
        const id = tiles[pick % tiles.length]!.id;
        if (!possibleMoves(tiles, id).right) return;
        expect(moveTile(moveTile(tiles, id, 'right'), id, 'left')).toEqual(tiles);
      }),
    );
  });
});
