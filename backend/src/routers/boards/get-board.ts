import { ZBoard, ZBoardIdRequest } from '@pulse/shared/boards';
import { readProcedure } from '../../trpc/trpc.ts';

export const getBoard = readProcedure
  .input(ZBoardIdRequest)
  .output(ZBoard)
  .query(({ ctx, input }) => ctx.services.boards.get(ctx.principal.tenant.id, input.id));
