import { z } from 'zod';

/**
 * embedded: PostgreSQL runs in-process (PGlite) and cache, rate limits and pub/sub are in-process;
 * services: external PostgreSQL and Redis.
 */
export const ZRunMode = z.enum(['embedded', 'services']);
export type TRunMode = z.infer<typeof ZRunMode>;

export const ZSystemInfo = z.object({
  mode: ZRunMode,
  version: z.string(),
  database: z.enum(['postgresql', 'pglite']),
  cache: z.enum(['redis', 'memory']),
});
export type TSystemInfo = z.infer<typeof ZSystemInfo>;

export const ZWhoAmI = z.object({
  tenant: z.object({ id: z.number().int(), slug: z.string(), name: z.string(), plan: z.string() }),
  scope: z.enum(['ingest', 'read', 'admin']),
});
export type TWhoAmI = z.infer<typeof ZWhoAmI>;
