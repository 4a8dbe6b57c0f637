import type { Prisma, PrismaClient, Role } from '../generated/prisma/client.ts';

const invitationSelect = {
  id: true,
  role: true,
  invitedBy: true,
  createdAt: true,
  expiresAt: true,
  tenant: { select: { id: true, name: true } },
} satisfies Prisma.InvitationSelect;

export type InvitationRecord = Prisma.InvitationGetPayload<{ select: typeof invitationSelect }>;

export class InvitationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(data: { tenantId: number; tokenHash: string; role: Role; invitedBy: string; expiresAt: Date }): Promise<InvitationRecord> {
    return this.prisma.invitation.create({ data, select: invitationSelect });
  }

  /** Invitations not yet accepted, revoked or expired, newest first. */
  async listPending(tenantId: number, now: Date): Promise<InvitationRecord[]> {
    return this.prisma.invitation.findMany({
      where: { tenantId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { id: 'desc' },
      select: invitationSelect,
    });
  }

  /** A pending invitation by its link's token hash. */
  async findPending(tokenHash: string, now: Date): Promise<InvitationRecord | null> {
    return this.prisma.invitation.findFirst({ where: { tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }, select: invitationSelect });
  }

  /**
   * Accepts a pending invitation for the user and makes them a member, in one transaction: a link works once,
   * even when two browsers open it at the same moment. Null when it is no longer pending. A user who is
   * already a member keeps the role they have.
   */
  async accept(tokenHash: string, userId: number, now: Date): Promise<InvitationRecord | null> {
    return this.prisma.$transaction(async (tx) => {
      const [accepted] = await tx.invitation.updateManyAndReturn({
        where: { tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now, acceptedBy: userId },
        select: { ...invitationSelect, tenantId: true },
      });
      if (!accepted) return null;
      await tx.membership.upsert({
        where: { tenantId_userId: { tenantId: accepted.tenantId, userId } },
        create: { tenantId: accepted.tenantId, userId, role: accepted.role },
        update: {},
      });
      return accepted;
    });
  }

  async revoke(tenantId: number, id: number, now: Date): Promise<InvitationRecord | null> {
    const [revoked] = await this.prisma.invitation.updateManyAndReturn({
      where: { tenantId, id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
      select: invitationSelect,
    });
    return revoked ?? null;
  }
}
