import type { ApiKeyScope, Prisma, PrismaClient } from '../generated/prisma/client.ts';

const apiKeySelect = {
  id: true,
  tenantId: true,
  name: true,
  prefix: true,
  scope: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  tenant: { select: { id: true, slug: true, name: true, plan: true } },
} satisfies Prisma.ApiKeySelect;

export type ApiKeyRecord = Prisma.ApiKeyGetPayload<{ select: typeof apiKeySelect }>;

export interface NewApiKey {
  tenantId: number;
  name: string;
  prefix: string;
  keyHash: string;
  scope: ApiKeyScope;
}

export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(data: NewApiKey): Promise<ApiKeyRecord> {
    return this.prisma.apiKey.create({ data, select: apiKeySelect });
  }

  /** The key with this hash unless it was revoked; keys are global, so this is how a tenant is found. */
  async findActiveByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    return this.prisma.apiKey.findFirst({ where: { keyHash, revokedAt: null }, select: apiKeySelect });
  }

  async revokeByName(tenantId: number, name: string, revokedAt: Date): Promise<number> {
    const result = await this.prisma.apiKey.updateMany({
      where: { tenantId, name, revokedAt: null },
      data: { revokedAt },
    });
    return result.count;
  }

  async touchLastUsed(tenantId: number, id: number, usedAt: Date): Promise<void> {
    await this.prisma.apiKey.updateMany({ where: { id, tenantId }, data: { lastUsedAt: usedAt } });
  }
}
