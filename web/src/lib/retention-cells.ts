import type { TCohortPeriod } from '@pulse/shared/cohorts';
import { formatPercent } from './percent.ts';

/** The strongest fill a cell gets (100% returned): below full strength so the figure on it stays legible. */
const MAX_FILL = 0.85;
/** From this fill on, the cell's figure is white rather than the text colour. */
const LIGHT_TEXT_FROM = 0.5;

/** How strongly a retention cell is filled with the theme's colour: in proportion to its share (0 to 1). */
export function retentionFill(fraction: number): { opacity: number; lightText: boolean } {
  const opacity = Math.min(Math.max(fraction, 0), 1) * MAX_FILL;
  return { opacity, lightText: opacity >= LIGHT_TEXT_FROM };
}

/** A cell's figure: the share that returned, or "—" for a cohort nobody joined (its 0% would mean nothing). */
export function retentionCellText(cohortSize: number, fraction: number): string {
  return cohortSize === 0 ? '—' : formatPercent(fraction);
}

const LABEL_OPTIONS: Record<TCohortPeriod, Intl.DateTimeFormatOptions> = {
  day: { weekday: 'short', month: 'short', day: 'numeric' },
  week: { month: 'short', day: 'numeric', year: 'numeric' },
  month: { month: 'long', year: 'numeric' },
};

/**
 * How a cohort's row is labelled: its start as a date in the answer's own time zone (a Tokyo day starts at
 * 15:00 UTC the day before, which the browser's zone would label a day early); a week as "Week of …".
 */
export function cohortLabeller(period: TCohortPeriod, timeZone: string, locale = 'en-US'): (start: string) => string {
  const format = new Intl.DateTimeFormat(locale, { ...LABEL_OPTIONS[period], timeZone });
  return (start) => (period === 'week' ? `Week of ${format.format(new Date(start))}` : format.format(new Date(start)));
}
