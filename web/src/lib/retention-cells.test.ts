import { expect, it } from 'vitest';
import { cohortLabeller, retentionCellText, retentionFill } from './retention-cells.ts';

it('fills a cell in proportion to its share, with light text only on the strong fills', () => {
  const fills = [0, 0.25, 0.5, 1].map(retentionFill);
  expect(fills.map((fill) => fill.opacity)).toEqual([0, 0.2125, 0.425, 0.85]);
  expect(fills.map((fill) => fill.lightText)).toEqual([false, false, false, true]);
  // Out-of-range shares (never sent, but rounding is not a reason to paint outside the scale).
  expect(retentionFill(-0.1).opacity).toBe(0);
  expect(retentionFill(1.2).opacity).toBe(0.85);
});

it('shows a share as a percentage, and a dash for a cohort nobody joined', () => {
  expect(retentionCellText(3, 1 / 3)).toBe('33.3%');
  expect(retentionCellText(3, 0)).toBe('0%');
  expect(retentionCellText(0, 0)).toBe('—');
});

it("labels a cohort by its start in the answer's time zone, not the browser's", () => {
  // Local midnight of Tuesday 7 January 2025 in Tokyo is still the 6th in UTC.
  const tokyoDay = '2025-01-06T15:00:00.000Z';
  expect(cohortLabeller('day', 'Asia/Tokyo')(tokyoDay)).toBe('Tue, Jan 7');
  expect(cohortLabeller('day', 'UTC')(tokyoDay)).toBe('Mon, Jan 6');
  expect(cohortLabeller('week', 'Asia/Tokyo')('2025-01-05T15:00:00.000Z')).toBe('Week of Jan 6, 2025');
  expect(cohortLabeller('month', 'America/New_York')('2025-02-01T05:00:00.000Z')).toBe('February 2025');
});
