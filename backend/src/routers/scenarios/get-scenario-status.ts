import { ZScenarioStatus } from '@pulse/shared/scenarios';
import { adminProcedure } from '../../trpc/trpc.ts';

/** Whether scenarios can run on this instance, and the run in progress if there is one. */
export const getScenarioStatus = adminProcedure
  .meta({ criticality: 'critical' })
  .output(ZScenarioStatus)
  .query(({ ctx }) => ctx.services.scenarios.status(ctx.principal.tenant.id));
