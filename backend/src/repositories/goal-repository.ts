import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { lockTenantRow } from './tenant-row-lock.ts';

const goalSelect = {
  id: true,
  name: true,
  match: true,
} satisfies Prisma.GoalSelect;

export type GoalRecord = Prisma.GoalGetPayload<{ select: typeof goalSelect }>;

export interface GoalData {
  name: string;
  /** The shared ZEventMatch, already validated. */
  match: Prisma.InputJsonValue;
}

export class GoalRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Every goal of the tenant, oldest first. */
  async listForTenant(tenantId: number): Promise<GoalRecord[]> {
    return this.prisma.goal.findMany({ where: { tenantId }, orderBy: { id: 'asc' }, select: goalSelect });
  }

  /** A new goal, unless the tenant already has `maxGoals`: then null. */
  async createUnlessAtLimit(tenantId: number, data: GoalData, maxGoals: number): Promise<GoalRecord | null> {
    return this.prisma.$transaction(async (tx) => {
      await lockTenantRow(tx, tenantId);
      if ((await tx.goal.count({ where: { tenantId } })) >= maxGoals) return null;
      return tx.goal.create({ data: { tenantId, ...data }, select: goalSelect });
    });
  }

  /** The tenant's goal with this id, changed; null when the tenant has no such goal. */
  async update(tenantId: number, id: number, data: Partial<GoalData>): Promise<GoalRecord | null> {
    const result = await this.prisma.goal.updateMany({ where: { tenantId, id }, data });
    if (result.count === 0) return null;
    return this.prisma.goal.findFirst({ where: { tenantId, id }, select: goalSelect });
  }

  /** Whether the tenant had a goal with this id (it has not any more). */
  async delete(tenantId: number, id: number): Promise<boolean> {
    const result = await this.prisma.goal.deleteMany({ where: { tenantId, id } });
    return result.count > 0;
  }
}
