import { randomUUID } from 'node:crypto';
import type { TBoard, TBoardSummary, TCreateBoardRequest, TTile, TUpdateBoardRequest } from '@pulse/shared/boards';
import { MAX_BOARDS_BY_PLAN, ZPlan } from '@pulse/shared/plans';
import { AppError } from '../errors/app-error.ts';
import type { BoardRecord, BoardRepository } from '../repositories/board-repository.ts';

type TileInput = TCreateBoardRequest['tiles'][number];

/**
 * Boards: a tenant's saved insights laid out on a grid, as many as its plan allows. A board stores questions,
 * never answers: the dashboard asks each tile's own (cached) procedure with the range of the tile's preset.
 */
export class BoardService {
  constructor(private readonly boards: BoardRepository) {}

  async list(tenantId: number): Promise<TBoardSummary[]> {
    return (await this.boards.listForTenant(tenantId)).map((record) => {
      const { tiles, ...board } = toBoard(record);
      return { ...board, tileCount: tiles.length };
    });
  }

  async get(tenantId: number, id: number): Promise<TBoard> {
    const record = await this.boards.findById(tenantId, id);
    if (!record) throw noSuchBoard(id);
    return toBoard(record);
  }

  async create(tenantId: number, request: TCreateBoardRequest): Promise<TBoard> {
    const created = await this.boards.createUnlessAtLimit(tenantId, { name: request.name, tiles: withIds(request.tiles) }, boardLimitFor);
    if ('limitReached' in created) {
      const { plan, limit } = created.limitReached;
      throw new AppError(
        'FORBIDDEN',
        `the ${plan} plan allows ${limit} board${limit === 1 ? '' : 's'} and this tenant has ${limit}; delete a board first, or move to a plan that allows more`,
      );
    }
    return toBoard(created);
  }

  /** A new name, new tiles (all of them: a tile left out is removed), or both. */
  async update(tenantId: number, request: TUpdateBoardRequest): Promise<TBoard> {
    const updated = await this.boards.update(tenantId, request.id, {
      ...(request.name === undefined ? {} : { name: request.name }),
      ...(request.tiles === undefined ? {} : { tiles: withIds(request.tiles) }),
    });
    if (!updated) throw noSuchBoard(request.id);
    return toBoard(updated);
  }

  async delete(tenantId: number, id: number): Promise<{ id: number; deleted: true }> {
    if (!(await this.boards.delete(tenantId, id))) throw noSuchBoard(id);
    return { id, deleted: true };
  }
}

/** Boards a plan allows (null: no limit); a plan this build does not know is held to the smallest. */
function boardLimitFor(plan: string): number | null {
  const known = ZPlan.safeParse(plan);
  return MAX_BOARDS_BY_PLAN[known.success ? known.data : 'free'];
}

/** Tiles the client gave no id get one, so the dashboard can address each tile from now on. */
const withIds = (tiles: readonly TileInput[]): TTile[] =>
  tiles.map((tile) => ({ id: tile.id ?? randomUUID(), title: tile.title, layout: tile.layout, insight: tile.insight }));

/** `tiles` was checked against the shared ZTile schema before it was stored. */
function toBoard(record: BoardRecord): TBoard {
  return {
    id: record.id,
    name: record.name,
    tiles: record.tiles as TTile[],
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

const noSuchBoard = (id: number) => new AppError('NOT_FOUND', `this tenant has no board with id ${id}`);
