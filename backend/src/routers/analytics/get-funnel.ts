import { ZFunnelRequest, ZFunnelResponse } from '@pulse/shared/funnels';
import { readProcedure } from '../../trpc/trpc.ts';

export const getFunnel = readProcedure
  .input(ZFunnelRequest)
  .output(ZFunnelResponse)
  .query(({ ctx, input }) => ctx.services.funnels.funnel(ctx.principal.tenant.id, input));
