import { ZCancelScenarioRequest, ZCancelScenarioResponse } from '@pulse/shared/scenarios';
import { scenariosProcedure } from '../../trpc/trpc.ts';

/** Stops a run: its traffic stops, injected faults are cleared, and its verdict says cancelled. */
export const cancelScenario = scenariosProcedure
  .meta({ criticality: 'critical' })
  .input(ZCancelScenarioRequest)
  .output(ZCancelScenarioResponse)
  .mutation(({ ctx, input }) => ({ cancelled: ctx.services.scenarios.cancel(ctx.principal.tenant.id, input.runId) }));
