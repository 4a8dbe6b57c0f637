import type pg from 'pg';
import { inTransaction } from '../infra/db/transaction.ts';

/** A rule as the scheduler holds it while its lease lasts. */
export interface ClaimedRule {
  tenantId: number;
  id: number;
  name: string;
  metric: unknown;
  condition: unknown;
  windowSeconds: number;
  pendingWindows: number;
  cooldownSeconds: number;
  webhookId: number | null;
  state: string;
  consecutiveBreaches: number;
  lastFiredAt: Date | null;
  nextWindowEnd: Date;
}

/** What evaluating one window decided, written at once with the rule's new state and the deliveries it owes. */
export interface WindowVerdict {
  windowEnd: Date;
  value: number | null;
  baseline: number | null;
  lower: number | null;
  upper: number | null;
  breached: boolean;
  previousState: string;
  state: string;
  consecutiveBreaches: number;
  lastFiredAt: Date | null;
  /** The window the rule judges next. */
  nextWindowEnd: Date;
  /** A notification for the rule's webhook, if the window fired or resolved it and the rule has one. */
  delivery: { webhookId: number; kind: 'firing' | 'resolved'; payload: unknown } | null;
}

const CLAIMED_COLUMNS = `r.tenant_id AS "tenantId", r.id, r.name, r.metric, r.condition, r.window_seconds AS "windowSeconds",
  r.pending_windows AS "pendingWindows", r.cooldown_seconds AS "cooldownSeconds", r.webhook_id AS "webhookId", r.state,
  r.consecutive_breaches AS "consecutiveBreaches", r.last_fired_at AS "lastFiredAt", r.next_window_end AS "nextWindowEnd"`;

/**
 * The scheduler's side of alert_rules: leases on due rules, and each window's evaluation written once. Times come
 * from the caller's clock (instances keep theirs in step with NTP; a lease lasts far longer than their drift).
 */
export class AlertScheduleRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Leases up to `limit` rules whose next window ended at or before `dueBy` and whose lease is free or has run
   * out, to `owner` until `leaseUntil`. SKIP LOCKED: instances claiming at once each get different rules.
   */
  async claimDue(owner: string, now: Date, dueBy: Date, leaseUntil: Date, limit: number): Promise<ClaimedRule[]> {
    const { rows } = await this.pool.query<ClaimedRule>(
      `WITH due AS (
         SELECT tenant_id, id FROM alert_rules
          WHERE next_window_end <= $2 AND (lease_until IS NULL OR lease_until < $3)
          ORDER BY next_window_end
          LIMIT $5
          FOR UPDATE SKIP LOCKED
       )
       UPDATE alert_rules r SET lease_owner = $1, lease_until = $4
         FROM due WHERE r.tenant_id = due.tenant_id AND r.id = due.id
       RETURNING ${CLAIMED_COLUMNS}`,
      [owner, dueBy, now, leaseUntil, limit],
    );
    return rows;
  }

  /**
   * Writes one window's verdict if `owner` still holds the rule at that window; false when it does not (the
   * lease passed to another instance, the rule was changed or deleted): nothing is written then, so no window is
   * judged, or notified, by two instances.
   */
  async recordVerdict(owner: string, tenantId: number, ruleId: number, verdict: WindowVerdict, leaseUntil: Date): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const held = await client.query('SELECT 1 FROM alert_rules WHERE tenant_id = $1 AND id = $2 AND lease_owner = $3 AND next_window_end = $4 FOR UPDATE', [
        tenantId,
        ruleId,
        owner,
        verdict.windowEnd,
      ]);
      if (held.rowCount === 0) return false;
      // A window is judged again only when the rule was changed (it restarts from the window that closed last):
      // the verdict on what it asks now replaces the old one. Its notification, if any went out, is not sent again.
      await client.query(
        `INSERT INTO alert_evaluations (tenant_id, rule_id, window_end, value, baseline, lower, upper, breached, state, previous_state, evaluated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (tenant_id, rule_id, window_end) DO UPDATE
            SET value = EXCLUDED.value, baseline = EXCLUDED.baseline, lower = EXCLUDED.lower, upper = EXCLUDED.upper,
                breached = EXCLUDED.breached, state = EXCLUDED.state, previous_state = EXCLUDED.previous_state,
                evaluated_at = now(), evaluated_by = EXCLUDED.evaluated_by`,
        [
          tenantId,
          ruleId,
          verdict.windowEnd,
          verdict.value,
          verdict.baseline,
          verdict.lower,
          verdict.upper,
          verdict.breached,
          verdict.state,
          verdict.previousState,
          owner,
        ],
      );
      await client.query(
        `UPDATE alert_rules SET state = $3, consecutive_breaches = $4, last_fired_at = $5, next_window_end = $6, lease_until = $7
          WHERE tenant_id = $1 AND id = $2`,
        [tenantId, ruleId, verdict.state, verdict.consecutiveBreaches, verdict.lastFiredAt, verdict.nextWindowEnd, leaseUntil],
      );
      if (verdict.delivery) {
        await client.query(
          `INSERT INTO webhook_deliveries (tenant_id, rule_id, webhook_id, window_end, kind, payload)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [tenantId, ruleId, verdict.delivery.webhookId, verdict.windowEnd, verdict.delivery.kind, JSON.stringify(verdict.delivery.payload)],
        );
      }
      return true;
    });
  }

  /** Skips a rule that fell too far behind to windows it can still judge, if `owner` still holds it. */
  async skipTo(owner: string, tenantId: number, ruleId: number, from: Date, to: Date): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE alert_rules SET next_window_end = $5 WHERE tenant_id = $1 AND id = $2 AND lease_owner = $3 AND next_window_end = $4',
      [tenantId, ruleId, owner, from, to],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /** Evaluations older than `before`, deleted: a rule's history is kept for as long as its chart shows. */
  async forgetEvaluationsBefore(before: Date): Promise<number> {
    const result = await this.pool.query('DELETE FROM alert_evaluations WHERE window_end < $1', [before]);
    return result.rowCount ?? 0;
  }
}
