import { ZUsageResponse } from '@pulse/shared/usage';
import { readProcedure } from '../../trpc/trpc.ts';

export const getUsage = readProcedure.output(ZUsageResponse).query(({ ctx }) => ctx.services.usage.current(ctx.principal.tenant.id));
