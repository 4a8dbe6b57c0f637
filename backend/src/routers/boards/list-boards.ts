import { ZBoardList } from '@pulse/shared/boards';
import { readProcedure } from '../../trpc/trpc.ts';

export const listBoards = readProcedure.output(ZBoardList).query(({ ctx }) => ctx.services.boards.list(ctx.principal.tenant.id));
