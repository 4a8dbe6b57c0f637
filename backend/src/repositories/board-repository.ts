import type { TTile } from '@pulse/shared/boards';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { lockTenantRow } from './tenant-row-lock.ts';

// A board's tiles are one JSONB array, not rows of a child table: tiles are only ever read and written with
// their board (a board shows all of them; the layout editor saves all of them), never queried across boards,
// and at most 24 of them. One column makes saving a layout one atomic UPDATE, with no diff of child rows
// to compute and no half-saved layout; the shared ZTile schema checks every tile on the way in.

const boardSelect = {
  id: true,
  name: true,
  tiles: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.BoardSelect;

export type BoardRecord = Prisma.BoardGetPayload<{ select: typeof boardSelect }>;

export interface BoardData {
  name: string;
  /** Already validated against the shared ZTile schema. */
  tiles: TTile[];
}

/** A tile's insight input is JSON (it came as JSON), which its type (`Record<string, unknown>`) cannot say. */
const asJson = (tiles: TTile[]): Prisma.InputJsonValue => tiles as unknown as Prisma.InputJsonValue;

/** The tenant's plan and what it allows, when a new board would go past it. */
export interface BoardLimitReached {
  limitReached: { plan: string; limit: number };
}

export class BoardRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Every board of the tenant, oldest first. */
  async listForTenant(tenantId: number): Promise<BoardRecord[]> {
    return this.prisma.board.findMany({ where: { tenantId }, orderBy: { id: 'asc' }, select: boardSelect });
  }

  async findById(tenantId: number, id: number): Promise<BoardRecord | null> {
    return this.prisma.board.findFirst({ where: { tenantId, id }, select: boardSelect });
  }

  /** A new board, unless the tenant has as many as `limitFor` its plan (null: no limit). */
  async createUnlessAtLimit(tenantId: number, data: BoardData, limitFor: (plan: string) => number | null): Promise<BoardRecord | BoardLimitReached> {
    return this.prisma.$transaction(async (tx) => {
      const plan = (await lockTenantRow(tx, tenantId)) ?? 'free';
      const limit = limitFor(plan);
      if (limit !== null && (await tx.board.count({ where: { tenantId } })) >= limit) return { limitReached: { plan, limit } };
      return tx.board.create({ data: { tenantId, name: data.name, tiles: asJson(data.tiles) }, select: boardSelect });
    });
  }

  /** The tenant's board with this id, changed; null when the tenant has no such board. */
  async update(tenantId: number, id: number, data: Partial<BoardData>): Promise<BoardRecord | null> {
    const tiles = data.tiles === undefined ? {} : { tiles: asJson(data.tiles) };
    const result = await this.prisma.board.updateMany({ where: { tenantId, id }, data: { name: data.name, ...tiles } });
    if (result.count === 0) return null;
    return this.findById(tenantId, id);
  }

  /** Whether the tenant had a board with this id (it has not any more). */
  async delete(tenantId: number, id: number): Promise<boolean> {
    const result = await this.prisma.board.deleteMany({ where: { tenantId, id } });
    return result.count > 0;
  }
}
