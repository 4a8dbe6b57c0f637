import type { IncomingHttpHeaders } from 'node:http';

/** The dashboard's session cookie: HttpOnly (scripts never see it) and SameSite=Strict (no cross-site use). */
const SESSION_COOKIE = 'pulse_session';

/** The session token from the Cookie header, if the browser sent one. */
export function sessionTokenFromHeaders(headers: IncomingHttpHeaders): string | null {
  const header = headers.cookie;
  if (!header) return null;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator !== -1 && pair.slice(0, separator).trim() === SESSION_COOKIE) return pair.slice(separator + 1).trim() || null;
  }
  return null;
}

/** `Secure` whenever the request came over HTTPS (directly or, with TRUST_PROXY, through the proxy). */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${SESSION_COOKIE}=${token}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
