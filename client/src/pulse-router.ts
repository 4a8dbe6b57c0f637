import type { TRPCBuiltRouter } from '@trpc/server';
import type { callerRecord, errorShape, transformer } from './caller-api.js';

/** Pulse's API as its callers see it: use it wherever tRPC asks for the router's type. */
export type PulseRouter = TRPCBuiltRouter<{ ctx: object; meta: object; errorShape: typeof errorShape; transformer: typeof transformer }, typeof callerRecord>;
