import { ZScenarioRun, ZStartScenarioRequest } from '@pulse/shared/scenarios';
import { scenariosProcedure } from '../../trpc/trpc.ts';

/** Starts a scenario on this instance (one at a time); follow it with scenarios.progress. */
export const startScenario = scenariosProcedure
  .input(ZStartScenarioRequest)
  .output(ZScenarioRun)
  .mutation(({ ctx, input }) => ctx.services.scenarios.start(ctx.principal.tenant.id, input.scenario, input.knobs));
