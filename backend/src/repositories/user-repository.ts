import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

const userSelect = { id: true, email: true, passwordHash: true } satisfies Prisma.UserSelect;
export type UserRecord = Prisma.UserGetPayload<{ select: typeof userSelect }>;

/** Users belong to no single tenant (a person may be a member of several), like sessions and keys' hashes. */
export class UserRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async count(): Promise<number> {
    return this.prisma.user.count();
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    return this.prisma.user.findUnique({ where: { email }, select: userSelect });
  }

  async findById(id: number): Promise<UserRecord | null> {
    return this.prisma.user.findUnique({ where: { id }, select: userSelect });
  }

  /** Null when the email is taken. */
  async create(email: string, passwordHash: string): Promise<UserRecord | null> {
    const created = await this.prisma.user.createManyAndReturn({ data: [{ email, passwordHash }], skipDuplicates: true, select: userSelect });
    return created[0] ?? null;
  }

  async setPassword(userId: number, passwordHash: string, at: Date): Promise<void> {
    await this.prisma.user.update({ where: { id: userId }, data: { passwordHash, passwordChangedAt: at } });
  }

  async createSignInLink(userId: number, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.prisma.signInLink.create({ data: { userId, tokenHash, expiresAt } });
  }

  /** Marks an unused, unexpired link used and returns its user; null if it was used, expired or never made. */
  async useSignInLink(tokenHash: string, now: Date): Promise<number | null> {
    const used = await this.prisma.signInLink.updateManyAndReturn({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
      select: { userId: true },
    });
    // Used and expired links have done their work; they go when a new one is used.
    await this.prisma.signInLink.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { usedAt: { lt: now } }] } });
    return used[0]?.userId ?? null;
  }
}
