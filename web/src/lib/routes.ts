export const ROUTES = [
  { path: 'overview', label: 'Overview' },
  { path: 'events', label: 'Events' },
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

export function hrefFor(path: TRoutePath): string {
  return `#/${path}`;
}
