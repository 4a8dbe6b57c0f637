import { ZBoardIdRequest, ZDeleteBoardResponse } from '@pulse/shared/boards';
import { adminProcedure } from '../../trpc/trpc.ts';

export const deleteBoard = adminProcedure
  .input(ZBoardIdRequest)
  .output(ZDeleteBoardResponse)
  .mutation(({ ctx, input }) => ctx.services.boards.delete(ctx.principal.tenant.id, input.id));
