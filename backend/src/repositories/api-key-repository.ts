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

  /** Every key of the tenant, newest first, revoked ones included (for the audit trail). */
  async listForTenant(tenantId: number): Promise<ApiKeyRecord[]> {
    return this.prisma.apiKey.findMany({ where: { tenantId }, orderBy: { id: 'desc' }, select: apiKeySelect });
  }

  /** The active keys among these ids, for the tenants of a dashboard session. */
  async findActiveByIds(ids: readonly number[]): Promise<ApiKeyRecord[]> {
    if (ids.length === 0) return [];
    return this.prisma.apiKey.findMany({ where: { id: { in: [...ids] }, revokedAt: null }, select: apiKeySelect });
  }

  async countActive(tenantId: number, scope: ApiKeyScope): Promise<number> {
    return this.prisma.apiKey.count({ where: { tenantId, scope, revokedAt: null } });
  }

  /** Revokes the tenant's key with this id; null when the tenant has no such key. */
  async revoke(tenantId: number, id: number, revokedAt: Date): Promise<ApiKeyRecord | null> {
    const result = await this.prisma.apiKey.updateMany({ where: { id, tenantId, revokedAt: null }, data: { revokedAt } });
    if (result.count === 0) return null;
    return this.prisma.apiKey.findFirst({ where: { id, tenantId }, select: apiKeySelect });
  }

  async findById(tenantId: number, id: number): Promise<ApiKeyRecord | null> {
    return this.prisma.apiKey.findFirst({ where: { id, tenantId }, select: apiKeySelect });
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
