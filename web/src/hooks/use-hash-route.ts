import { useSyncExternalStore } from 'react';
import { DEFAULT_ROUTE, isRoutePath, pageQueryOf, splitHash, type TRoutePath } from '../lib/routes.ts';

export function subscribeToHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function readRoute(): TRoutePath {
  const { path } = splitHash(window.location.hash);
  return isRoutePath(path) ? path : DEFAULT_ROUTE;
}

/** The page named by `#/<path>` (a `?query` after it is the page's own); anything unknown falls back to the Overview. */
export function useHashRoute(): TRoutePath {
  return useSyncExternalStore(subscribeToHash, readRoute);
}

const readHash = () => window.location.hash;

/** The page's own `?query` while the address names `path` (see pageQueryOf), following every change of it. */
export function usePageQuery(path: TRoutePath): string {
  return pageQueryOf(useSyncExternalStore(subscribeToHash, readHash), path);
}
