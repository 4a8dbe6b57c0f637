/**
 * The same-origin address of a table's CSV download: GET /api/csv/<procedure>?input=<the procedure's input as
 * URL-encoded JSON>, the input the table itself was read with. The session cookie goes with it by itself.
 */
export function csvUrl(procedure: string, input: unknown): string {
  const query = input === undefined ? '' : `?${new URLSearchParams({ input: JSON.stringify(input) }).toString()}`;
  return `/api/csv/${encodeURIComponent(procedure)}${query}`;
}
