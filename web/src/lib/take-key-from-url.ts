import { useSessionStore } from '../stores/session-store.ts';

/**
 * In embedded mode the backend prints a `?key=...` link on start. Take the key before the first render, then
 * drop it from the address bar so it does not linger in history or get shared by copy-paste.
 */
export function takeKeyFromUrl(): void {
  const url = new URL(window.location.href);
  const apiKey = url.searchParams.get('key')?.trim();
  if (!apiKey) return;
  useSessionStore.getState().signIn(apiKey);
  url.searchParams.delete('key');
  window.history.replaceState(window.history.state, '', url);
}
