import type { AnyTRPCRouter } from '@trpc/server';
import type { Criticality } from '../infra/load/load-monitor.ts';

// The one module that reads tRPC's `router._def`, which tRPC does not document as public: the HTTP layer needs
// a procedure's type and meta before running it (admission, the fast paths) and the root config to answer in
// tRPC's own shapes. A tRPC upgrade that moves these breaks here and nowhere else.

interface ProcedureDef {
  type: string;
  meta?: { criticality?: Criticality };
}

/** A procedure's kind ('query', 'mutation', 'subscription') and meta; undefined for an unknown path. */
export function procedureDefOf(router: AnyTRPCRouter, path: string): ProcedureDef | undefined {
  const procedures = router._def.procedures as Record<string, { _def: ProcedureDef } | undefined>;
  return procedures[path]?._def;
}

/** Every procedure's path and kind. */
export function procedureTypesOf(router: AnyTRPCRouter): Record<string, string> {
  const procedures = router._def.procedures as Record<string, { _def: ProcedureDef }>;
  return Object.fromEntries(Object.entries(procedures).map(([path, procedure]) => [path, procedure._def.type]));
}

/** The root config (transformer, error formatter, SSE settings) the router was built with. */
export function routerConfigOf(router: AnyTRPCRouter): AnyTRPCRouter['_def']['_config'] {
  return router._def._config;
}
