import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

const storedEventSelect = {
  id: true,
  messageId: true,
  type: true,
  name: true,
  userId: true,
  anonymousId: true,
  sessionId: true,
  path: true,
  referrer: true,
  device: true,
  browser: true,
  country: true,
  properties: true,
  ts: true,
  receivedAt: true,
} satisfies Prisma.EventSelect;

export type StoredEventRecord = Prisma.EventGetPayload<{ select: typeof storedEventSelect }>;

export interface EventFilter {
  name?: string;
  userId?: string;
  sessionId?: string;
  pathContains?: string;
  from?: Date;
  to?: Date;
}

/** Where the previous page ended: events strictly older than this (ts, id) come next. */
export interface EventPosition {
  ts: Date;
  id: bigint;
}

/** Reads of the raw event log (Prisma; the partitioned table is pruned by the ts conditions). */
export class EventQueryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async list(tenantId: number, filter: EventFilter, after: EventPosition | null, limit: number): Promise<StoredEventRecord[]> {
    const where: Prisma.EventWhereInput = {
      ...whereOf(tenantId, filter),
      OR: after ? [{ ts: { lt: after.ts } }, { ts: after.ts, id: { lt: after.id } }] : undefined,
    };
    return this.prisma.event.findMany({ where, orderBy: [{ ts: 'desc' }, { id: 'desc' }], take: limit, select: storedEventSelect });
  }

  /** How many events match, counting no further than `cap` (a count over all of a tenant's events would scan them all). */
  countUpTo(tenantId: number, filter: EventFilter, cap: number): Promise<number> {
    return this.prisma.event.count({ where: whereOf(tenantId, filter), take: cap });
  }
}

function whereOf(tenantId: number, filter: EventFilter): Prisma.EventWhereInput {
  return {
    tenantId,
    name: filter.name,
    userId: filter.userId,
    sessionId: filter.sessionId,
    path: filter.pathContains ? { contains: filter.pathContains, mode: 'insensitive' } : undefined,
    ts: { gte: filter.from, lt: filter.to },
  };
}
