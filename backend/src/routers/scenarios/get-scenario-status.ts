import { ZScenarioStatus } from '@pulse/shared/scenarios';
import { scenariosProcedure } from '../../trpc/trpc.ts';

/** Whether scenarios can run on this instance, and the run in progress if there is one. */
export const getScenarioStatus = scenariosProcedure
  .meta({ criticality: 'critical' })
  .output(ZScenarioStatus)
  .query(({ ctx }) => ctx.services.scenarios.status(ctx.principal.tenant.id));
