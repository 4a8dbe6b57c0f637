import { ZBoard, ZCreateBoardRequest } from '@pulse/shared/boards';
import { adminProcedure } from '../../trpc/trpc.ts';

export const createBoard = adminProcedure
  .input(ZCreateBoardRequest)
  .output(ZBoard)
  .mutation(({ ctx, input }) => ctx.services.boards.create(ctx.principal.tenant.id, input));
