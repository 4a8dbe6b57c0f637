import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { lockTenantRow } from './tenant-row-lock.ts';

const webhookSelect = { id: true, name: true, url: true, format: true, createdAt: true } satisfies Prisma.AlertWebhookSelect;

export type AlertWebhookRecord = Prisma.AlertWebhookGetPayload<{ select: typeof webhookSelect }>;

export interface AlertWebhookData {
  name: string;
  url: string;
  secret: string;
  format: string;
}

export interface WebhookDeliveryRecord {
  id: bigint;
  ruleId: number;
  windowEnd: Date;
  kind: string;
  status: string;
  attempts: Array<{ attemptedAt: Date; outcome: string; statusCode: number | null; durationMs: number; error: string | null }>;
}

/** A tenant's webhook endpoints and the log of what was delivered to them. */
export class AlertWebhookRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async listForTenant(tenantId: number): Promise<AlertWebhookRecord[]> {
    return this.prisma.alertWebhook.findMany({ where: { tenantId }, orderBy: { id: 'asc' }, select: webhookSelect });
  }

  async exists(tenantId: number, id: number): Promise<boolean> {
    return (await this.prisma.alertWebhook.count({ where: { tenantId, id } })) > 0;
  }

  /** A new webhook, unless the tenant has `max` already: then null. */
  async createUnlessAtLimit(tenantId: number, data: AlertWebhookData, max: number): Promise<AlertWebhookRecord | null> {
    return this.prisma.$transaction(async (tx) => {
      await lockTenantRow(tx, tenantId);
      if ((await tx.alertWebhook.count({ where: { tenantId } })) >= max) return null;
      return tx.alertWebhook.create({ data: { tenantId, ...data }, select: webhookSelect });
    });
  }

  /** Rules that named it keep watching, for the dashboard only; its pending deliveries go with it. */
  async delete(tenantId: number, id: number): Promise<boolean> {
    const result = await this.prisma.alertWebhook.deleteMany({ where: { tenantId, id } });
    return result.count > 0;
  }

  /** The newest `limit` deliveries of the tenant (of one rule when given), each with its attempts, oldest attempt first. */
  async deliveries(tenantId: number, ruleId: number | null, limit: number): Promise<WebhookDeliveryRecord[]> {
    const deliveries = await this.prisma.webhookDelivery.findMany({
      where: { tenantId, ...(ruleId === null ? {} : { ruleId }) },
      orderBy: { id: 'desc' },
      take: limit,
      select: { id: true, ruleId: true, windowEnd: true, kind: true, status: true },
    });
    const attempts = await this.prisma.webhookAttempt.findMany({
      where: { tenantId, deliveryId: { in: deliveries.map((delivery) => delivery.id) } },
      orderBy: [{ deliveryId: 'asc' }, { attempt: 'asc' }],
      select: { deliveryId: true, attemptedAt: true, outcome: true, statusCode: true, durationMs: true, error: true },
    });
    return deliveries.map((delivery) => ({
      ...delivery,
      attempts: attempts.filter((attempt) => attempt.deliveryId === delivery.id).map(({ deliveryId: _, ...attempt }) => attempt),
    }));
  }
}
