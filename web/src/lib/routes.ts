export const ROUTES = [
  { path: 'overview', label: 'Overview' },
  { path: 'boards', label: 'Boards' },
  { path: 'funnels', label: 'Funnels' },
  { path: 'retention', label: 'Retention' },
  { path: 'goals', label: 'Goals' },
  { path: 'events', label: 'Events' },
  { path: 'timeline', label: 'Visitor timeline' },
  { path: 'live', label: 'Live' },
  { path: 'generator', label: 'Generator' },
  { path: 'high-load', label: 'High-load demo' },
  { path: 'system', label: 'System' },
  { path: 'tracking', label: 'Tracking' },
  { path: 'keys', label: 'API keys' },
] as const;

export type TRoutePath = (typeof ROUTES)[number]['path'];

export const DEFAULT_ROUTE: TRoutePath = 'overview';

export function isRoutePath(value: string): value is TRoutePath {
  return ROUTES.some((route) => route.path === value);
}

/** `#/<path>`, with `?<query>` (a page's own state, such as the Overview's filters) when there is one. */
export function hrefFor(path: TRoutePath, query = ''): string {
  return query ? `#/${path}?${query}` : `#/${path}`;
}

/** "#/overview?filter=…" → the path ("overview") and the query after it ("filter=…"). */
export function splitHash(hash: string): { path: string; query: string } {
  const rest = hash.replace(/^#\/?/, '');
  const mark = rest.indexOf('?');
  return mark < 0 ? { path: rest, query: '' } : { path: rest.slice(0, mark), query: rest.slice(mark + 1) };
}

/** The `?query` of `hash` while it names the page `path`, else "": a page's own state, such as the board it shows. */
export function pageQueryOf(hash: string, path: TRoutePath): string {
  const split = splitHash(hash);
  return split.path === path ? split.query : '';
}
