import { tracked } from '@trpc/server';
import { ZProgressRequest } from '@pulse/shared/scenarios';
import { scenariosProcedure } from '../../trpc/trpc.ts';

/** A run's samples, marks and verdict as they happen; resumes after `lastEventId`; ends after the verdict. */
export const scenarioProgress = scenariosProcedure
  .meta({ criticality: 'critical' })
  .input(ZProgressRequest)
  .subscription(async function* ({ ctx, input, signal }) {
    for await (const { id, event } of ctx.services.scenarios.progress(ctx.principal.tenant.id, input.runId, input.lastEventId ?? null, signal!)) {
      yield tracked(id, event);
    }
  });
