import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

const sessionSelect = {
  id: true,
  expiresAt: true,
  userId: true,
  tenantId: true,
  keys: { select: { apiKeyId: true, chosenAt: true }, orderBy: { chosenAt: 'desc' } },
} satisfies Prisma.DashboardSessionSelect;

/** A dashboard session: a user's (with the tenant they chose), or its keys', the current (most recently chosen) one first. */
export type DashboardSessionRecord = Prisma.DashboardSessionGetPayload<{ select: typeof sessionSelect }>;

/** Sessions are found by the hash of the cookie's token; like API keys they belong to no single tenant. */
export class DashboardSessionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(tokenHash: string, expiresAt: Date, apiKeyId: number): Promise<void> {
    await this.prisma.dashboardSession.create({ data: { tokenHash, expiresAt, keys: { create: { apiKeyId } } } });
  }

  async createForUser(tokenHash: string, expiresAt: Date, userId: number): Promise<void> {
    await this.prisma.dashboardSession.create({ data: { tokenHash, expiresAt, userId } });
  }

  /** The tenant a user's session shows from now on. */
  async chooseTenant(sessionId: number, tenantId: number): Promise<void> {
    await this.prisma.dashboardSession.updateMany({ where: { id: sessionId }, data: { tenantId } });
  }

  /** Ends the user's sessions (sign-out everywhere, a changed password), but the one kept, if any. */
  async deleteForUser(userId: number, keptSessionId: number | null = null): Promise<number> {
    const result = await this.prisma.dashboardSession.deleteMany({ where: { userId, ...(keptSessionId === null ? {} : { id: { not: keptSessionId } }) } });
    return result.count;
  }

  async findUnexpired(tokenHash: string, now: Date): Promise<DashboardSessionRecord | null> {
    return this.prisma.dashboardSession.findFirst({ where: { tokenHash, expiresAt: { gt: now } }, select: sessionSelect });
  }

  /** Adds the key to the session, or makes it the current one again. */
  async chooseKey(sessionId: number, apiKeyId: number, chosenAt: Date): Promise<void> {
    await this.prisma.dashboardSessionKey.upsert({
      where: { sessionId_apiKeyId: { sessionId, apiKeyId } },
      create: { sessionId, apiKeyId, chosenAt },
      update: { chosenAt },
    });
  }

  async removeKey(sessionId: number, apiKeyId: number): Promise<void> {
    await this.prisma.dashboardSessionKey.deleteMany({ where: { sessionId, apiKeyId } });
  }

  async delete(sessionId: number): Promise<void> {
    await this.prisma.dashboardSession.deleteMany({ where: { id: sessionId } });
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.prisma.dashboardSession.deleteMany({ where: { expiresAt: { lte: now } } });
    return result.count;
  }
}
