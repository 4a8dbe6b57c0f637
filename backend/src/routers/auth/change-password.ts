import { ZChangePasswordRequest } from '@pulse/shared/auth';
import { z } from 'zod';
import { publicProcedure } from '../../trpc/trpc.ts';

/** The signed-in person's own password; their other browsers are signed out. */
export const changePassword = publicProcedure
  .input(ZChangePasswordRequest)
  .output(z.object({ otherSessionsEnded: z.number().int() }))
  .mutation(({ ctx, input }) => ctx.services.accounts.changePassword(ctx.sessionToken ?? null, input.currentPassword, input.newPassword));
