import { ZScenarioRun, ZStartScenarioRequest } from '@pulse/shared/scenarios';
import { adminProcedure } from '../../trpc/trpc.ts';

/** Starts a scenario on this instance (one at a time); follow it with scenarios.progress. */
export const startScenario = adminProcedure
  .input(ZStartScenarioRequest)
  .output(ZScenarioRun)
  .mutation(({ ctx, input }) => ctx.services.scenarios.start(ctx.principal.tenant.id, input.scenario, input.knobs));
