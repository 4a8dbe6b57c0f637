import { ZTimelineRequest, ZTimelineResponse } from '@pulse/shared/timeline';
import { readProcedure } from '../../trpc/trpc.ts';

/** One visitor's events, newest first, with when they were first and last seen (reached from the event log). */
export const getTimeline = readProcedure
  .input(ZTimelineRequest)
  .output(ZTimelineResponse)
  .query(({ ctx, input }) => ctx.services.timeline.visitorTimeline(ctx.principal.tenant, input));
