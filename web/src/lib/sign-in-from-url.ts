/**
 * In embedded mode the backend prints a `?key=...` link on start. Trade the key for a session cookie before
 * the first render, then drop it from the address bar so it does not linger in history or get shared by
 * copy-paste. Says whether a link's key was refused (an old link: each start revokes the keys it printed
 * before), so the sign-in page can say why it is shown.
 */
export async function signInWithKeyFromUrl(): Promise<'no-link' | 'signed-in' | 'refused' | 'unreachable'> {
  const url = new URL(window.location.href);
  const apiKey = url.searchParams.get('key')?.trim();
  if (!apiKey) return 'no-link';
  url.searchParams.delete('key');
  window.history.replaceState(window.history.state, '', url);
  try {
    const response = await fetch('/trpc/auth.signIn', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey }),
    });
    if (response.ok) return 'signed-in';
    return response.status === 401 || response.status === 403 ? 'refused' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}
