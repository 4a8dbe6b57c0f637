import { tracked } from '@trpc/server';
import { ZLiveRequest } from '@pulse/shared/live';
import { readProcedure } from '../../trpc/trpc.ts';

/** What each commit adds for the caller's tenant, as it happens; resumes after `lastEventId` on reconnect. */
export const live = readProcedure.input(ZLiveRequest).subscription(async function* ({ ctx, input, signal }) {
  for await (const { id, delta } of ctx.services.live.subscribe(ctx.principal.tenant.id, input?.lastEventId ?? null, signal!)) {
    yield tracked(id, delta);
  }
});
