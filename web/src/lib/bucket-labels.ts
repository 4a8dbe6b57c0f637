import type { TTimeseriesResponse } from '@pulse/shared/analytics';

const DAY_MS = 86_400_000;

/**
 * How a series' buckets are labelled: in the series' own time zone (a day bucket of Tokyo starts at 15:00 UTC
 * the day before, which the browser's zone would label a day early), with the date as well as the time when
 * minute or hour buckets span more than one day.
 */
export function bucketLabeller(series: Pick<TTimeseriesResponse, 'granularity' | 'timeZone' | 'points'>, locale?: string): (bucket: string) => string {
  const first = series.points[0]?.bucket;
  const last = series.points.at(-1)?.bucket;
  const spansDays = first !== undefined && last !== undefined && Date.parse(last) - Date.parse(first) >= DAY_MS;
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
  const date: Intl.DateTimeFormatOptions = series.granularity === 'month' ? { month: 'short', year: 'numeric' } : { month: 'short', day: 'numeric' };
  const withinDay = series.granularity === 'minute' || series.granularity === 'hour';
  const options = withinDay ? (spansDays ? { ...date, ...time } : time) : date;
  const format = new Intl.DateTimeFormat(locale, { ...options, timeZone: series.timeZone });
  return (bucket) => format.format(new Date(bucket));
}
