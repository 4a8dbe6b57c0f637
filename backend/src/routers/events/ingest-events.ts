import { ZIngestBatchRequest, ZIngestBatchResponse } from '@pulse/shared/ingest';
import { ingestProcedure } from '../../trpc/trpc.ts';

export const ingestEvents = ingestProcedure
  .input(ZIngestBatchRequest)
  .output(ZIngestBatchResponse)
  .mutation(({ ctx, input }) => ctx.services.eventIngest.ingest(ctx.principal.tenant, input));
