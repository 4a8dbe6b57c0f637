import { ZBoard, ZUpdateBoardRequest } from '@pulse/shared/boards';
import { insightsProcedure } from '../../trpc/trpc.ts';

export const updateBoard = insightsProcedure
  .input(ZUpdateBoardRequest)
  .output(ZBoard)
  .mutation(({ ctx, input }) => ctx.services.boards.update(ctx.principal.tenant.id, input));
