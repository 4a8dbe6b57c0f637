import { ZCatalogRequest, ZCatalogResponse } from '@pulse/shared/analytics';
import { readProcedure } from '../../trpc/trpc.ts';

export const getCatalog = readProcedure
  .input(ZCatalogRequest)
  .output(ZCatalogResponse)
  .query(({ ctx, input }) => ctx.services.analytics.catalog(ctx.principal.tenant.id, input));
