import { ZBoard, ZCreateBoardRequest } from '@pulse/shared/boards';
import { insightsProcedure } from '../../trpc/trpc.ts';

export const createBoard = insightsProcedure
  .input(ZCreateBoardRequest)
  .output(ZBoard)
  .mutation(({ ctx, input }) => ctx.services.boards.create(ctx.principal.tenant.id, input));
