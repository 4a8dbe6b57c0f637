import type { Prisma, PrismaClient, Role } from '../generated/prisma/client.ts';
import { lockTenantRow } from './tenant-row-lock.ts';

const membershipSelect = {
  role: true,
  createdAt: true,
  user: { select: { id: true, email: true } },
  tenant: { select: { id: true, slug: true, name: true, plan: true } },
} satisfies Prisma.MembershipSelect;

/** A user's role in a tenant, with both. */
export type MembershipRecord = Prisma.MembershipGetPayload<{ select: typeof membershipSelect }>;

/** Why a change of members was refused. */
export type MembershipRefusal = 'not-a-member' | 'last-owner';

export class MembershipRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The user's tenants, oldest membership first. */
  async listForUser(userId: number): Promise<MembershipRecord[]> {
    return this.prisma.membership.findMany({ where: { userId }, orderBy: [{ createdAt: 'asc' }, { tenantId: 'asc' }], select: membershipSelect });
  }

  async listForTenant(tenantId: number): Promise<MembershipRecord[]> {
    return this.prisma.membership.findMany({ where: { tenantId }, orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }], select: membershipSelect });
  }

  async find(tenantId: number, userId: number): Promise<MembershipRecord | null> {
    return this.prisma.membership.findUnique({ where: { tenantId_userId: { tenantId, userId } }, select: membershipSelect });
  }

  /** Adds the user with the role, or keeps the role they have (joining twice changes nothing). */
  async add(tenantId: number, userId: number, role: Role): Promise<MembershipRecord> {
    return this.prisma.membership.upsert({
      where: { tenantId_userId: { tenantId, userId } },
      create: { tenantId, userId, role },
      update: {},
      select: membershipSelect,
    });
  }

  /** Makes the user an owner of every tenant that has none; returns how many. */
  async ownOwnerlessTenants(userId: number): Promise<number> {
    return this.prisma.$executeRaw`
      INSERT INTO memberships (tenant_id, user_id, role)
      SELECT t.id, ${userId}, 'owner' FROM tenants t
      WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = t.id AND m.role = 'owner')
      ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = 'owner'`;
  }

  /**
   * Changes a member's role, or removes them (`role` null), unless that would leave the tenant without an owner.
   * Under the tenant's row lock, so two owners demoting each other at once cannot both succeed.
   */
  async change(tenantId: number, userId: number, role: Role | null): Promise<MembershipRecord | MembershipRefusal> {
    return this.prisma.$transaction(async (tx) => {
      await lockTenantRow(tx, tenantId);
      const current = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId } }, select: membershipSelect });
      if (!current) return 'not-a-member';
      if (current.role === 'owner' && role !== 'owner') {
        const owners = await tx.membership.count({ where: { tenantId, role: 'owner' } });
        if (owners <= 1) return 'last-owner';
      }
      if (role === null) {
        await tx.membership.delete({ where: { tenantId_userId: { tenantId, userId } } });
        return current;
      }
      return tx.membership.update({ where: { tenantId_userId: { tenantId, userId } }, data: { role }, select: membershipSelect });
    });
  }
}
