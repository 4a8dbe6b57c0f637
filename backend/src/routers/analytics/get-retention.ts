import { ZRetentionRequest, ZRetentionResponse } from '@pulse/shared/cohorts';
import { readProcedure } from '../../trpc/trpc.ts';

export const getRetention = readProcedure
  .input(ZRetentionRequest)
  .output(ZRetentionResponse)
  .query(({ ctx, input }) => ctx.services.cohorts.retention(ctx.principal.tenant.id, input));
