import { dropSearchParam, searchParamOf } from './address-bar.ts';

/** What became of a sign-in link in the address: a key's (`?key=`) or a person's one-time link (`?signin=`). */
export type TUrlSignIn = 'no-link' | 'signed-in' | 'key-refused' | 'link-refused' | 'unreachable';

/** The procedure that trades each kind of link for a session cookie, and the body it takes. */
const LINKS = [
  { param: 'signin', procedure: 'auth.signInWithLink', body: (token: string) => ({ token }), refused: 'link-refused' },
  { param: 'key', procedure: 'auth.signIn', body: (apiKey: string) => ({ apiKey }), refused: 'key-refused' },
] as const;

/**
 * In embedded mode the backend prints a `?key=...` link on start, and a demo start a one-time `?signin=...` link
 * for its owner. Trade it for a session cookie before the first render, then drop it from the address bar.
 * Says whether the link was refused (an old key link: each start revokes the keys it printed before; a used or
 * expired one-time link), so the sign-in page can say why it is shown.
 */
export async function signInFromUrl(): Promise<TUrlSignIn> {
  const link = LINKS.find(({ param }) => searchParamOf(param) !== null);
  if (!link) return 'no-link';
  const secret = searchParamOf(link.param)!;
  for (const { param } of LINKS) dropSearchParam(param);
  try {
    const response = await fetch(`/trpc/${link.procedure}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(link.body(secret)),
    });
    if (response.ok) return 'signed-in';
    return response.status === 401 || response.status === 403 ? link.refused : 'unreachable';
  } catch {
    return 'unreachable';
  }
}
