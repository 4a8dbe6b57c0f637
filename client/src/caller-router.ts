import type { AnyTRPCProcedure, TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure, TRPCSubscriptionProcedure } from '@trpc/server';
import type { AppRouter } from '@pulse/backend/trpc/app-router';

// The server's router as a caller sees it: each procedure's kind, input and output, and the error shape. The
// server's context (its services, repositories and their dependencies) and procedure meta are left out: they
// are no caller's business, and keeping them would make every caller type-check the backend.
// Only the build reads this file (through caller-api.ts); its helpers stay unexported so that declaration
// files spell out what they produce instead of naming them.

type ServerRoot = AppRouter['_def']['_config']['$types'];

type CallerProcedure<P> =
  P extends TRPCQueryProcedure<infer Def>
    ? TRPCQueryProcedure<{ input: Def['input']; output: Def['output']; meta: object }>
    : P extends TRPCMutationProcedure<infer Def>
      ? TRPCMutationProcedure<{ input: Def['input']; output: Def['output']; meta: object }>
      : P extends TRPCSubscriptionProcedure<infer Def>
        ? TRPCSubscriptionProcedure<{ input: Def['input']; output: Def['output']; meta: object }>
        : never;

type CallerRecord<R> = { [K in keyof R]: R[K] extends AnyTRPCProcedure ? CallerProcedure<R[K]> : CallerRecord<R[K]> };

export type CallerRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: ServerRoot['errorShape']; transformer: ServerRoot['transformer'] },
  CallerRecord<AppRouter['_def']['record']>
>;
