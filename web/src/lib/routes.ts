import type { TPermission } from '@pulse/shared/roles';

/** The pages; one with a `permission` is in the navigation only for those who hold it (the server checks again). */
export const ROUTES = [
  { path: 'overview', label: 'Overview' },
  { path: 'boards', label: 'Boards' },
  { path: 'funnels', label: 'Funnels' },
  { path: 'retention', label: 'Retention' },
  { path: 'goals', label: 'Goals' },
  { path: 'alerts', label: 'Alerts' },
  { path: 'events', label: 'Events' },
  { path: 'timeline', label: 'Visitor timeline' },
  { path: 'live', label: 'Live' },
  { path: 'generator', label: 'Generator' },
  { path: 'high-load', label: 'High-load demo' },
  { path: 'system', label: 'System' },
  { path: 'tracking', label: 'Tracking' },
  { path: 'keys', label: 'API keys' },
  { path: 'members', label: 'Members', permission: 'manageMembers' },
  { path: 'audit', label: 'Audit log', permission: 'viewAudit' },
  { path: 'settings', label: 'Settings' },
] as const satisfies ReadonlyArray<{ path: string; label: string; permission?: TPermission }>;

export type TRoutePath = (typeof ROUTES)[number]['path'];

export interface TRoute {
  path: TRoutePath;
  label: string;
  permission?: TPermission;
}

/** The pages the navigation offers to a caller holding `permissions`. */
export function routesFor(permissions: readonly TPermission[]): TRoute[] {
  const routes: readonly TRoute[] = ROUTES;
  return routes.filter((route) => route.permission === undefined || permissions.includes(route.permission));
}

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
