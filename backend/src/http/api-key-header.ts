import type { IncomingHttpHeaders } from 'node:http';

/**
 * The API key from `Authorization: Bearer <key>`, `Authorization: Basic base64(<key>:)` (the key as the user
 * name, as Segment's SDKs send their write key) or `X-Api-Key: <key>`.
 */
export function apiKeyFromHeaders(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const [scheme = '', credentials = ''] = authorization.split(/\s+/, 2);
    if (scheme.toLowerCase() === 'bearer' && credentials) return credentials;
    if (scheme.toLowerCase() === 'basic' && credentials) {
      const userName = Buffer.from(credentials, 'base64').toString('utf8').split(':', 1)[0];
      if (userName) return userName;
    }
  }
  const headerKey = headers['x-api-key'];
  const value = Array.isArray(headerKey) ? headerKey[0] : headerKey;
  return value?.trim() || null;
}
