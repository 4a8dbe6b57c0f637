import { ZActiveFaults, ZInjectFaultRequest } from '@pulse/shared/system';
import { faultsProcedure } from '../../trpc/trpc.ts';

/** Adds latency, failures or an outage to this instance's PostgreSQL or Redis calls for a while. */
export const injectFault = faultsProcedure
  .input(ZInjectFaultRequest)
  .output(ZActiveFaults)
  .mutation(({ ctx, input }) => ctx.services.faults.inject(input));

export const clearFaults = faultsProcedure.output(ZActiveFaults).mutation(({ ctx }) => ctx.services.faults.clear());

export const getFaults = faultsProcedure.output(ZActiveFaults).query(({ ctx }) => ctx.services.faults.active());
