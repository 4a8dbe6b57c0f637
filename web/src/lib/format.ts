/** Counts are shown with en-US grouping everywhere, so browser tests can compare them with the API. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** Figures that may have decimals, grouped like counts, at most two decimals. */
export function formatMeasure(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** An instant (ISO 8601) in the browser's own locale and time zone. */
export function formatInstant(iso: string): string {
  return new Date(iso).toLocaleString();
}

/** Time into a scenario run, as its marks and charts show it: "+12.3 s". */
export function formatElapsed(elapsedMs: number): string {
  return `+${(elapsedMs / 1_000).toFixed(1)} s`;
}

/** How long something took: "42.5 s", or "3 min 05 s" from a minute on. */
export function formatDuration(durationMs: number): string {
  const seconds = durationMs / 1_000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const wholeSeconds = Math.round(seconds);
  return `${Math.floor(wholeSeconds / 60)} min ${String(wholeSeconds % 60).padStart(2, '0')} s`;
}

const RELATIVE_TIME = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const TIME_UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** "12 seconds ago", "3 hours ago"; under a second, or ahead of `nowMs` (the server's clock differs), "just now". */
export function formatTimeAgo(instantMs: number, nowMs: number): string {
  const ageMs = nowMs - instantMs;
  if (ageMs < 1_000) return 'just now';
  const [unit, unitMs] = TIME_UNITS.find(([, size]) => ageMs >= size)!;
  return RELATIVE_TIME.format(-Math.floor(ageMs / unitMs), unit);
}

/** "Showing 50 of 1,234 events", or "of more than 10,000" when the server stopped counting. */
export function describeShownEvents(shown: number, matching: { count: number; atLeast: boolean }): string {
  const total = matching.atLeast ? `more than ${formatCount(matching.count)}` : formatCount(matching.count);
  const noun = !matching.atLeast && matching.count === 1 ? 'event' : 'events';
  return shown >= matching.count && !matching.atLeast ? `${total} ${noun}` : `Showing ${formatCount(shown)} of ${total} ${noun}`;
}
