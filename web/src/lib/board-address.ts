/** The board the address names: `#/boards?board=<id>`, so a reload (or a shared link) shows the same board. */
export function boardIdInQuery(query: string): number | undefined {
  const value = new URLSearchParams(query).get('board');
  if (value === null || !/^\d{1,10}$/.test(value)) return undefined;
  const id = Number(value);
  return id > 0 ? id : undefined;
}

export function boardQuery(id: number | undefined): string {
  return id === undefined ? '' : new URLSearchParams({ board: String(id) }).toString();
}
