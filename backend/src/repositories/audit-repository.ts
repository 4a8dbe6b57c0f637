import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

const auditSelect = { id: true, at: true, actorKind: true, actor: true, action: true, target: true, details: true } satisfies Prisma.AuditEntrySelect;
export type AuditRecord = Prisma.AuditEntryGetPayload<{ select: typeof auditSelect }>;

/** What was asked for, as JSON. */
export type AuditDetails = Prisma.InputJsonObject;

export interface NewAuditEntry {
  tenantId: number;
  /** When the change was made (its entry may be written a moment later). */
  at: Date;
  actorKind: 'user' | 'key' | 'operator';
  actor: string;
  action: string;
  target: string;
  details: AuditDetails;
}

export class AuditRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async add(entry: NewAuditEntry): Promise<void> {
    await this.prisma.auditEntry.create({ data: entry });
  }

  /** Newest first, older than `before` (an entry id) when given. */
  async list(tenantId: number, limit: number, before?: bigint): Promise<AuditRecord[]> {
    return this.prisma.auditEntry.findMany({
      where: { tenantId, ...(before === undefined ? {} : { id: { lt: before } }) },
      orderBy: { id: 'desc' },
      take: limit,
      select: auditSelect,
    });
  }
}
