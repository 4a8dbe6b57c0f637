/** Counts are shown with en-US grouping everywhere, so browser tests can compare them with the API. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** Figures that may have decimals, grouped like counts, at most two decimals. */
export function formatMeasure(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
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
