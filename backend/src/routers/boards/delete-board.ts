import { ZBoardIdRequest, ZDeleteBoardResponse } from '@pulse/shared/boards';
import { insightsProcedure } from '../../trpc/trpc.ts';

export const deleteBoard = insightsProcedure
  .input(ZBoardIdRequest)
  .output(ZDeleteBoardResponse)
  .mutation(({ ctx, input }) => ctx.services.boards.delete(ctx.principal.tenant.id, input.id));
