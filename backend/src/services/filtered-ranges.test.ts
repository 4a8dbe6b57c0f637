import { describe, expect, it } from 'vitest';
import type { TFilter } from '@pulse/shared/filters';
import { FilteredRanges, rawIntervals, valueDimensionOf } from './filtered-ranges.ts';

const DAY_MS = 86_400_000;
const day = (n: number) => new Date(Date.UTC(2026, 10, 1) + n * DAY_MS);
const at = (n: number, hours: number) => new Date(day(n).getTime() + hours * 3_600_000);

describe('rawIntervals', () => {
  it('leaves the ragged edges and the days between rolled ones to raw rows, merged', () => {
    expect(rawIntervals({ from: at(0, 5), to: at(5, 7) }, [day(1), day(2), day(4)])).toEqual([
      { from: at(0, 5), to: day(1) },
      { from: day(3), to: day(4) },
      { from: day(5), to: at(5, 7) },
    ]);
  });

  it('is the whole range without rolled days, and nothing when they cover it', () => {
    expect(rawIntervals({ from: at(0, 5), to: at(1, 2) }, [])).toEqual([{ from: at(0, 5), to: at(1, 2) }]);
    expect(rawIntervals({ from: day(0), to: day(2) }, [day(0), day(1)])).toEqual([]);
  });
});

describe('valueDimensionOf', () => {
  const country: TFilter = { field: 'country', operator: 'isNot', value: 'DE' };
  it('is the one dimension every filter is on', () => {
    expect(valueDimensionOf([country])).toBe('country');
    expect(
      valueDimensionOf([
        { field: 'path', operator: 'startsWith', value: '/docs' },
        { field: 'path', operator: 'isNot', value: '/docs/old' },
      ]),
    ).toBe('path');
    expect(valueDimensionOf([{ field: 'property', key: 'plan', operator: 'is', value: 'pro' }])).toBe('properties.plan');
    expect(valueDimensionOf([{ field: 'property', key: 'amount', operator: 'gt', value: 10 }])).toBe('properties.amount');
  });

  it('is none for filters on several dimensions, or asking for events without a property', () => {
    expect(valueDimensionOf([])).toBeNull();
    expect(valueDimensionOf([country, { field: 'name', operator: 'is', value: 'signup' }])).toBeNull();
    for (const operator of ['isNot', 'notContains'] as const) {
      expect(valueDimensionOf([{ field: 'property', key: 'plan', operator, value: 'pro' }])).toBeNull();
    }
    expect(valueDimensionOf([{ field: 'property', key: 'plan', operator: 'isNotSet' }])).toBeNull();
  });
});

describe('FilteredRanges', () => {
  it('asks for covered days of the whole UTC days only, and not at all without a dimension', async () => {
    const asked: Array<{ from: Date; to: Date }> = [];
    const ranges = new FilteredRanges({
      coveredDays: async (_tenantId, days) => {
        asked.push(days);
        return [day(1)];
      },
    });
    expect(await ranges.plan(1, { from: at(0, 5), to: at(3, 1) }, 'country')).toEqual({
      dimension: 'country',
      rolledDays: [day(1)],
      raw: [
        { from: at(0, 5), to: day(1) },
        { from: day(2), to: at(3, 1) },
      ],
    });
    expect(asked).toEqual([{ from: day(1), to: day(3) }]);
    expect(await ranges.plan(1, { from: at(0, 5), to: at(3, 1) }, null)).toEqual({ dimension: null, rolledDays: [], raw: [{ from: at(0, 5), to: at(3, 1) }] });
    expect(asked).toHaveLength(1);
  });
});
