import type pg from 'pg';
import { inTransaction } from '../infra/db/transaction.ts';

/** A delivery leased for sending, with where it goes. */
export interface ClaimedDelivery {
  tenantId: number;
  id: string;
  webhookId: number;
  url: string;
  secret: string;
  format: string;
  payload: unknown;
  /** Attempts made before this one. */
  attempts: number;
}

export interface AttemptRecord {
  outcome: 'delivered' | 'retry' | 'rejected';
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

/** The outbox of webhook notifications: due deliveries leased for sending, and each attempt logged. */
export class WebhookDeliveryRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Leases up to `limit` pending deliveries that are due and free, leaving out those to the webhooks in
   * `busyWebhooks` (`tenant:webhook`, still being sent to here).
   */
  async claimDue(owner: string, now: Date, leaseUntil: Date, limit: number, busyWebhooks: readonly string[]): Promise<ClaimedDelivery[]> {
    const { rows } = await this.pool.query<ClaimedDelivery>(
      `WITH due AS (
         SELECT d.tenant_id, d.id FROM webhook_deliveries d
          WHERE d.status = 'pending' AND d.next_attempt_at <= $2 AND (d.lease_until IS NULL OR d.lease_until < $2)
            AND NOT ((d.tenant_id || ':' || d.webhook_id) = ANY($5::text[]))
          ORDER BY d.next_attempt_at
          LIMIT $4
          FOR UPDATE SKIP LOCKED
       ),
       leased AS (
         UPDATE webhook_deliveries d SET lease_owner = $1, lease_until = $3
           FROM due WHERE d.tenant_id = due.tenant_id AND d.id = due.id
         RETURNING d.tenant_id, d.id, d.webhook_id, d.payload, d.attempts
       )
       SELECT l.tenant_id AS "tenantId", l.id::text AS id, l.webhook_id AS "webhookId", w.url, w.secret, w.format, l.payload, l.attempts
         FROM leased l JOIN alert_webhooks w ON w.tenant_id = l.tenant_id AND w.id = l.webhook_id`,
      [owner, now, leaseUntil, limit, busyWebhooks],
    );
    return rows;
  }

  /**
   * Logs an attempt and moves the delivery on: delivered, failed (rejected, or out of attempts), or pending again
   * from `retryAt`. Only while `owner` holds its lease: false, and nothing written, when another instance took it.
   */
  async recordAttempt(owner: string, delivery: ClaimedDelivery, attempt: AttemptRecord, retryAt: Date | null, now: Date): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const attemptNumber = delivery.attempts + 1;
      const status = attempt.outcome === 'delivered' ? 'delivered' : retryAt === null ? 'failed' : 'pending';
      const updated = await client.query(
        `UPDATE webhook_deliveries SET attempts = $4, status = $5, next_attempt_at = coalesce($6, next_attempt_at),
                lease_owner = NULL, lease_until = NULL, finished_at = CASE WHEN $5 = 'pending' THEN NULL ELSE $7::timestamptz END
          WHERE tenant_id = $1 AND id = $2 AND lease_owner = $3 AND attempts = $4 - 1`,
        [delivery.tenantId, delivery.id, owner, attemptNumber, status, retryAt, now],
      );
      if (updated.rowCount === 0) return false;
      await client.query(
        `INSERT INTO webhook_attempts (tenant_id, delivery_id, attempt, attempted_at, outcome, status_code, duration_ms, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [delivery.tenantId, delivery.id, attemptNumber, now, attempt.outcome, attempt.statusCode, Math.round(attempt.durationMs), attempt.error],
      );
      return true;
    });
  }

  /** Deliveries that ended (delivered or given up) before `before`, deleted with their attempts. */
  async forgetFinishedBefore(before: Date): Promise<number> {
    const result = await this.pool.query("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND finished_at < $1", [before]);
    return result.rowCount ?? 0;
  }
}
