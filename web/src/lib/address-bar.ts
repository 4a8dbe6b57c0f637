/** The `name` parameter of the page's address (`?invitation=…`), trimmed; null without one. */
export function searchParamOf(name: string): string | null {
  return new URL(window.location.href).searchParams.get(name)?.trim() || null;
}

/** Drops `name` from the address bar, so a secret in it neither lingers in history nor gets shared by copy-paste. */
export function dropSearchParam(name: string): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has(name)) return;
  url.searchParams.delete(name);
  window.history.replaceState(window.history.state, '', url);
}
