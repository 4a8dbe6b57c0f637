/**
 * In embedded mode the backend prints a `?key=...` link on start. Trade the key for a session cookie before
 * the first render, then drop it from the address bar so it does not linger in history or get shared by
 * copy-paste. A key that fails simply leaves the sign-in page to say so.
 */
export async function signInWithKeyFromUrl(): Promise<void> {
  const url = new URL(window.location.href);
  const apiKey = url.searchParams.get('key')?.trim();
  if (!apiKey) return;
  url.searchParams.delete('key');
  window.history.replaceState(window.history.state, '', url);
  await fetch('/trpc/auth.signIn', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey }),
  }).catch(() => {});
}
