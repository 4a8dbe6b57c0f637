import type { IncomingHttpHeaders } from 'node:http';
import type { Services } from '../runtime.ts';
import { apiKeyFromHeaders } from '../http/api-key-header.ts';

export interface Context {
  services: Services;
  /** The raw key the caller sent, if any; procedures that need a tenant authenticate it. */
  apiKey: string | null;
}

export function createContextFactory(services: Services) {
  return ({ req }: { req: { headers: IncomingHttpHeaders } }): Context => ({
    services,
    apiKey: apiKeyFromHeaders(req.headers),
  });
}
