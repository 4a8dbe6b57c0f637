import { useSyncExternalStore } from 'react';
import { DEFAULT_ROUTE, isRoutePath, type TRoutePath } from '../lib/routes.ts';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function readRoute(): TRoutePath {
  const path = window.location.hash.replace(/^#\/?/, '');
  return isRoutePath(path) ? path : DEFAULT_ROUTE;
}

/** The page named by `#/<path>`; anything unknown falls back to the Overview. */
export function useHashRoute(): TRoutePath {
  return useSyncExternalStore(subscribe, readRoute);
}
