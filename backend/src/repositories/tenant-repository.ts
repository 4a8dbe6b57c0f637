import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

const tenantSelect = {
  id: true,
  slug: true,
  name: true,
  plan: true,
  retentionDays: true,
} satisfies Prisma.TenantSelect;

export type TenantRecord = Prisma.TenantGetPayload<{ select: typeof tenantSelect }>;

export class TenantRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async count(): Promise<number> {
    return this.prisma.tenant.count();
  }

  async create(data: Pick<TenantRecord, 'slug' | 'name' | 'plan'>): Promise<TenantRecord> {
    return this.prisma.tenant.create({ data, select: tenantSelect });
  }

  async listAll(): Promise<TenantRecord[]> {
    return this.prisma.tenant.findMany({ select: tenantSelect, orderBy: { id: 'asc' } });
  }

  async findById(id: number): Promise<TenantRecord | null> {
    return this.prisma.tenant.findUnique({ where: { id }, select: tenantSelect });
  }

  async update(id: number, data: Partial<Pick<TenantRecord, 'plan' | 'retentionDays'>>): Promise<TenantRecord> {
    return this.prisma.tenant.update({ where: { id }, data, select: tenantSelect });
  }

  async findBySlug(slug: string): Promise<TenantRecord | null> {
    return this.prisma.tenant.findUnique({ where: { slug }, select: tenantSelect });
  }
}
