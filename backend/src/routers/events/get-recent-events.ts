import { z } from 'zod';
import { ZRecentEventsRequest, ZStoredEvent } from '@pulse/shared/events';
import { readProcedure } from '../../trpc/trpc.ts';

export const getRecentEvents = readProcedure
  .input(ZRecentEventsRequest)
  .output(z.array(ZStoredEvent))
  .query(({ ctx, input }) => ctx.services.eventQueries.recent(ctx.principal.tenant.id, input.limit));
