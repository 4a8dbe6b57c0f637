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

/** A key's hash with its holder: what the key directory (readable without PostgreSQL) records. */
const directorySelect = {
  keyHash: true,
  id: true,
  scope: true,
  tenant: { select: { id: true, slug: true, name: true, plan: true } },
} satisfies Prisma.ApiKeySelect;

export type ApiKeyDirectoryRecord = Prisma.ApiKeyGetPayload<{ select: typeof directorySelect }>;

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

  /** The tenant's active keys with this id or name, with their hashes (to retire them from the key directory). */
  async findActiveHashes(tenantId: number, which: { id: number } | { name: string }): Promise<Array<{ id: number; keyHash: string }>> {
    return this.prisma.apiKey.findMany({ where: { tenantId, revokedAt: null, ...which }, select: { id: true, keyHash: true } });
  }

  /** Revokes those of the tenant's keys that are still active; returns how many were. */
  async revokeIds(tenantId: number, ids: readonly number[], revokedAt: Date): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.prisma.apiKey.updateMany({ where: { tenantId, id: { in: [...ids] }, revokedAt: null }, data: { revokedAt } });
    return result.count;
  }

  /** Every active key of every tenant, with its holder: the key directory is filled from this. */
  async listActiveForDirectory(): Promise<ApiKeyDirectoryRecord[]> {
    return this.prisma.apiKey.findMany({ where: { revokedAt: null }, select: directorySelect });
  }

  /** The hashes of keys revoked since `since` (the key directory keeps their tombstones). */
  async findRevokedHashesSince(since: Date): Promise<string[]> {
    const rows = await this.prisma.apiKey.findMany({ where: { revokedAt: { gte: since } }, select: { keyHash: true } });
    return rows.map((row) => row.keyHash);
  }

  async touchLastUsed(tenantId: number, id: number, usedAt: Date): Promise<void> {
    await this.prisma.apiKey.updateMany({ where: { id, tenantId }, data: { lastUsedAt: usedAt } });
  }
}
