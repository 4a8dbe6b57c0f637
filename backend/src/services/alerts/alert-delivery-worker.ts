import type { Logger } from '../../infra/logger.ts';
import { MAX_WEBHOOK_ATTEMPTS, nextAttemptDelayMs } from '../../infra/webhooks/webhook-backoff.ts';
import type { WebhookSender } from '../../infra/webhooks/webhook-sender.ts';
import type { ClaimedDelivery, WebhookDeliveryRepository } from '../../repositories/webhook-delivery-repository.ts';
import { slackBody, type AlertPayload } from './alert-payload.ts';

export interface AlertDeliveryWorkerOptions {
  owner: string;
  /** Longer than a send can take (the sender's timeout), so a live instance never loses a delivery mid-send. */
  leaseMs: number;
  /** Deliveries in flight at once from this instance, each to a different webhook. */
  concurrency: number;
  /** The wait after failed attempt number `attempt`; by default the schedule of webhook-backoff.ts, jittered. */
  retryDelayMs?: (attempt: number) => number;
  clock?: () => Date;
}

/**
 * Sends the notifications alert rules owe (the webhook_deliveries outbox), signed, retried with backoff on 5xx
 * and timeouts, each attempt logged. Sends run in the background of the tick that claimed them, one at a time
 * per webhook: a receiver that never answers holds its own deliveries until the sender's timeout, nobody else's.
 * A receiver sees the same webhook-id on every attempt of a delivery, so it can drop the rare duplicate (an
 * instance that dies after sending, before logging the answer).
 */
export class AlertDeliveryWorker {
  private readonly clock: () => Date;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly sender: Pick<WebhookSender, 'send'>,
    private readonly options: AlertDeliveryWorkerOptions,
    private readonly logger: Logger,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.retryDelayMs = options.retryDelayMs ?? ((attempt) => nextAttemptDelayMs(attempt, { jitter: true }));
  }

  /** Claims what is due and starts sending it; returns how many deliveries it started. */
  async tick(): Promise<number> {
    const free = this.options.concurrency - this.inFlight.size;
    if (free <= 0) return 0;
    const now = this.clock();
    const claimed = await this.deliveries.claimDue(this.options.owner, now, new Date(now.getTime() + this.options.leaseMs), free, [...this.inFlight.keys()]);
    const byWebhook = new Map<string, ClaimedDelivery[]>();
    for (const delivery of claimed) {
      const webhook = `${delivery.tenantId}:${delivery.webhookId}`;
      byWebhook.set(webhook, [...(byWebhook.get(webhook) ?? []), delivery]);
    }
    for (const [webhook, queue] of byWebhook) {
      const sending = this.sendInTurn(queue)
        .catch((error: unknown) =>
          this.logger.warn({ err: error, webhook }, 'a webhook delivery could not be recorded; it is sent again when its lease runs out'),
        )
        .finally(() => this.inFlight.delete(webhook));
      this.inFlight.set(webhook, sending);
    }
    return claimed.length;
  }

  /** Resolves when every send started so far has ended. */
  async settled(): Promise<void> {
    await Promise.all(this.inFlight.values());
  }

  private async sendInTurn(queue: readonly ClaimedDelivery[]): Promise<void> {
    for (const delivery of queue) await this.sendOne(delivery);
  }

  private async sendOne(delivery: ClaimedDelivery): Promise<void> {
    const payload = delivery.payload as AlertPayload;
    const body = JSON.stringify(delivery.format === 'slack' ? slackBody(payload) : payload);
    const result = await this.sender.send({ url: delivery.url, secret: delivery.secret, id: `msg_pulse_${delivery.tenantId}_${delivery.id}`, body });
    const attempt = delivery.attempts + 1;
    const retryAt = result.outcome === 'retry' && attempt < MAX_WEBHOOK_ATTEMPTS ? new Date(this.clock().getTime() + this.retryDelayMs(attempt)) : null;
    await this.deliveries.recordAttempt(this.options.owner, delivery, result, retryAt, this.clock());
  }
}
