import { tracked } from '@trpc/server';
import { ZLiveRequest } from '@pulse/shared/live';
import { readProcedure } from '../../trpc/trpc.ts';

/**
 * What each commit adds for the caller's tenant, as it happens; resumes after `lastEventId` on reconnect. The
 * stream ends with a 401 once its key is revoked (or its dashboard session ends).
 */
export const live = readProcedure.input(ZLiveRequest).subscription(async function* ({ ctx, input, signal }) {
  const revoked = ctx.services.access.revocationSignal(ctx, signal!);
  const open = AbortSignal.any([signal!, revoked]);
  for await (const { id, delta } of ctx.services.live.subscribe(ctx.principal.tenant.id, input?.lastEventId ?? null, open)) {
    yield tracked(id, delta);
  }
  if (revoked.aborted) throw revoked.reason;
});
