/** Counts are shown with en-US grouping everywhere, so browser tests can compare them with the API. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}
