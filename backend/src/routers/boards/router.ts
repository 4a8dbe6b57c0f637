import { router } from '../../trpc/trpc.ts';
import { createBoard } from './create-board.ts';
import { deleteBoard } from './delete-board.ts';
import { getBoard } from './get-board.ts';
import { listBoards } from './list-boards.ts';
import { updateBoard } from './update-board.ts';

export const boardsRouter = router({
  list: listBoards,
  get: getBoard,
  create: createBoard,
  update: updateBoard,
  delete: deleteBoard,
});
