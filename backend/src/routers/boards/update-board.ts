import { ZBoard, ZUpdateBoardRequest } from '@pulse/shared/boards';
import { adminProcedure } from '../../trpc/trpc.ts';

export const updateBoard = adminProcedure
  .input(ZUpdateBoardRequest)
  .output(ZBoard)
  .mutation(({ ctx, input }) => ctx.services.boards.update(ctx.principal.tenant.id, input));
