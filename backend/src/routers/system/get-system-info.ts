import { ZSystemInfo } from '@pulse/shared/system';
import { publicProcedure } from '../../trpc/trpc.ts';

/** Public on purpose: the sign-in page shows the running mode before anyone has a key. */
export const getSystemInfo = publicProcedure.output(ZSystemInfo).query(({ ctx }) => ctx.services.system.systemInfo());
