import { describe, expect, it } from 'vitest';
import { RANGE_PRESETS } from '@pulse/shared/boards';
import { presetLabel, rangeOfTilePreset, TILE_PRESETS } from './board-range.ts';

const DAY_MS = 86_400_000;

describe('rangeOfTilePreset', () => {
  const now = new Date('2026-05-01T12:34:56.789Z');

  it('counts the rolling presets back from the start of the next minute', () => {
    const to = Date.parse('2026-05-01T12:35:00Z');
    expect(rangeOfTilePreset('24h', now)).toEqual({ from: new Date(to - DAY_MS).toISOString(), to: new Date(to).toISOString() });
    expect(rangeOfTilePreset('7d', now)).toEqual({ from: new Date(to - 7 * DAY_MS).toISOString(), to: new Date(to).toISOString() });
    expect(rangeOfTilePreset('90d', now)).toEqual({ from: new Date(to - 90 * DAY_MS).toISOString(), to: new Date(to).toISOString() });
  });

  it('starts "today" at local midnight', () => {
    const range = rangeOfTilePreset('today', now);
    const from = new Date(range.from);
    expect([from.getHours(), from.getMinutes(), from.getSeconds()]).toEqual([0, 0, 0]);
    expect(from.getDate()).toBe(now.getDate());
    expect(Date.parse(range.to)).toBeGreaterThan(now.getTime());
  });

  it('asks the same question all minute long, and a new one the next minute', () => {
    const early = rangeOfTilePreset('30d', new Date('2026-05-01T12:34:00.001Z'));
    expect(rangeOfTilePreset('30d', new Date('2026-05-01T12:34:59.999Z'))).toEqual(early);
    expect(rangeOfTilePreset('30d', new Date('2026-05-01T12:35:00.000Z'))).not.toEqual(early);
  });
});

describe('TILE_PRESETS', () => {
  it('labels every preset a tile may keep, in the order the API lists them', () => {
    expect(TILE_PRESETS.map((preset) => preset.value)).toEqual([...RANGE_PRESETS]);
    expect(presetLabel('7d')).toBe('7 d');
    expect(presetLabel('today')).toBe('Today');
  });
});
