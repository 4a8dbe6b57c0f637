import { tracked } from '@trpc/server';
import { ZLiveRequest } from '@pulse/shared/live';
import { readProcedure } from '../../trpc/trpc.ts';

/**
 * What each commit adds for the caller's tenant, as it happens; resumes after `lastEventId` on reconnect. The
 * stream ends with a 401 once its key is revoked (or its dashboard session ends).
 */
export const live = readProcedure.input(ZLiveRequest).subscription(async ({ ctx, input, signal }) => {
  const revoked = ctx.services.access.revocationSignal(ctx, signal!);
  const open = AbortSignal.any([signal!, revoked]);
  // Subscribed before the stream opens: a client that has heard "connected" misses no commit after it.
  const deltas = await ctx.services.live.subscribe(ctx.principal.tenant.id, input?.lastEventId ?? null, open);
  return (async function* () {
    for await (const { id, delta } of deltas) yield tracked(id, delta);
    if (revoked.aborted) throw revoked.reason;
  })();
});
