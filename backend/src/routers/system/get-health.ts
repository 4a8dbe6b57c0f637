import { ZHealth } from '@pulse/shared/system';
import { readProcedure } from '../../trpc/trpc.ts';

/** The same readiness report as GET /health/ready, for the dashboard's System page. */
export const getHealth = readProcedure.output(ZHealth).query(({ ctx }) => ctx.services.health.readiness());
