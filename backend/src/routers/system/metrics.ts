import { readProcedure } from '../../trpc/trpc.ts';

/** This instance's live figures, once a second (no tenant data: any read key may watch them). */
export const metrics = readProcedure.subscription(({ ctx, signal }) => ctx.services.system.metricsEverySecond(signal!));
