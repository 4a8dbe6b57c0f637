const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

/** A fraction as a percentage to one decimal at most, as every rate of the dashboard reads: "33.3%", "100%". */
export function formatPercent(fraction: number): string {
  return PERCENT.format(fraction);
}
