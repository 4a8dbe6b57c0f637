import { afterAll, beforeAll, expect, it } from 'vitest';
import type pg from 'pg';
import { createPgPool } from '../../infra/db/pg-pool.ts';
import { EventPartitions } from '../../infra/db/event-partitions.ts';
import { createLogger } from '../../infra/logger.ts';
import { WebhookSender } from '../../infra/webhooks/webhook-sender.ts';
import { checkWebhookUrl } from '../../infra/webhooks/webhook-target.ts';
import { AlertMetricRepository } from '../../repositories/alert-metric-repository.ts';
import { AlertRuleRepository } from '../../repositories/alert-rule-repository.ts';
import { AlertScheduleRepository } from '../../repositories/alert-schedule-repository.ts';
import { AlertWebhookRepository } from '../../repositories/alert-webhook-repository.ts';
import { EventRepository } from '../../repositories/event-repository.ts';
import { TenantRepository } from '../../repositories/tenant-repository.ts';
import { WebhookDeliveryRepository } from '../../repositories/webhook-delivery-repository.ts';
import type { Runtime } from '../../runtime.ts';
import { eventRow } from '../../test/event-row.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../test/scratch-database.ts';
import { startTestRuntime } from '../../test/test-runtime.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver.ts';
import { AlertDeliveryWorker } from './alert-delivery-worker.ts';
import { AlertRuleService } from './alert-rule-service.ts';
import { AlertScheduler } from './alert-scheduler.ts';

const HOUR_MS = 3_600_000;
const SEND_TIMEOUT_MS = 3_000;

let runtime: Runtime;
/** A database of this file's own: runtimes of other test files run alert schedulers on the real clock over the shared one. */
let database: ScratchDatabase;
let instancePools: pg.Pool[];
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  database = await createScratchDatabase();
  runtime = await startTestRuntime({ DATABASE_URL: database.url });
  instancePools = [0, 1, 2].map(() => createPgPool(database.url, 2));
  await new EventPartitions(runtime.pool).ensureDays(new Date(Date.now() - 2 * 86_400_000), new Date());
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await Promise.all(instancePools.map((pool) => pool.end()));
  await runtime?.close();
  await database?.drop();
});

it('signs each notification, retries it after a 500, delivers it once, and a receiver that never answers holds up no other rule', async () => {
  // An hour-long window that closed a while ago, so the rules are judged at once (on a clock set just after it).
  const windowEnd = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS);
  const clock = () => new Date(windowEnd.getTime() + 60_000);
  const tenant = await new TenantRepository(runtime.prisma).create({ slug: `alert-delivery-${Date.now().toString(36)}`, name: 'Deliveries', plan: 'pro' });
  const service = new AlertRuleService(new AlertRuleRepository(runtime.prisma), new AlertWebhookRepository(runtime.prisma), (url) =>
    checkWebhookUrl(url, { allowPrivateAddresses: true }),
  );

  const flaky = await startWebhookReceiver((index) => (index === 0 ? 500 : 200));
  const silent = await startWebhookReceiver(() => null);
  const slack = await startWebhookReceiver();
  receivers.push(flaky, silent, slack);
  const hooks = [];
  for (const [receiver, format] of [
    [flaky, 'json'],
    [silent, 'json'],
    [slack, 'slack'],
  ] as const) {
    const webhook = await service.createWebhook(tenant.id, { name: format, url: receiver.url, format });
    receiver.setSecret(webhook.secret);
    hooks.push(webhook);
  }
  for (const [index, webhook] of hooks.entries()) {
    const rule = await service.create(tenant.id, {
      name: `rule ${index}`,
      metric: { kind: 'events', name: 'checkout' },
      window: '1h',
      condition: { type: 'above', value: 2 },
      webhookId: webhook.id,
    });
    await runtime.pool.query('UPDATE alert_rules SET next_window_end = $3 WHERE tenant_id = $1 AND id = $2', [tenant.id, rule.id, windowEnd]);
  }
  await new EventRepository(runtime.pool).insertMany(
    Array.from({ length: 5 }, (_, index) => eventRow(tenant.id, `checkout-${index}`, { name: 'checkout', ts: new Date(windowEnd.getTime() - 10 * 60_000) })),
  );

  const logger = createLogger('silent');
  const scheduler = new AlertScheduler(
    new AlertScheduleRepository(runtime.pool),
    new AlertMetricRepository(runtime.pool),
    { owner: 'scheduler', leaseMs: 30_000, settleMs: 0, batchSize: 50, maxCatchUpMs: 47 * HOUR_MS, clock },
    logger,
  );
  while ((await scheduler.tick()) > 0);
  const workers = instancePools.map(
    (pool, index) =>
      new AlertDeliveryWorker(
        new WebhookDeliveryRepository(pool),
        new WebhookSender({ timeoutMs: SEND_TIMEOUT_MS, allowPrivateAddresses: true, userAgent: 'Pulse-Webhooks/test' }),
        { owner: `worker-${index}`, leaseMs: 3 * SEND_TIMEOUT_MS, concurrency: 4, retryDelayMs: () => 0 },
        logger,
      ),
  );
  const tickAll = () => Promise.all(workers.map((worker) => worker.tick()));

  // The flaky receiver's retry and the Slack delivery land while the silent receiver still holds its first request.
  await expect
    .poll(async () => {
      await tickAll();
      return [flaky.received.map((request) => request.status), slack.received.length, silent.received.map((request) => request.status)];
    })
    .toEqual([[500, 200], 1, [null]]);

  // Both of the flaky receiver's requests carry the same message id, signed, and the firing's payload.
  expect(flaky.received.map((request) => request.verified)).toEqual([true, true]);
  expect(new Set(flaky.received.map((request) => request.headers['webhook-id'])).size).toBe(1);
  const payload = JSON.parse(flaky.received[1]!.body);
  expect(payload).toMatchObject({ type: 'alert.firing', value: 5, upper: 2, window: { end: windowEnd.toISOString() }, rule: { name: 'rule 0' } });
  expect(slack.received[0]!.verified).toBe(true);
  expect(JSON.parse(slack.received[0]!.body).text).toMatch(/Pulse alert \*rule 2\* is firing: 5 "checkout" events in the 1h ending/);

  // The silent receiver's attempt ends at the timeout and is logged for a retry; nothing is sent twice meanwhile.
  await Promise.all(workers.map((worker) => worker.settled()));
  const log = await service.deliveries(tenant.id, null, 10);
  const byWebhookOrder = [...log].sort((a, b) => a.ruleId - b.ruleId);
  expect(byWebhookOrder.map((delivery) => delivery.status)).toEqual(['delivered', 'pending', 'delivered']);
  expect(byWebhookOrder[0]!.attempts.map((attempt) => [attempt.outcome, attempt.statusCode])).toEqual([
    ['retry', 500],
    ['delivered', 200],
  ]);
  expect(byWebhookOrder[1]!.attempts.map((attempt) => attempt.outcome)).toEqual(['retry']);
  expect(byWebhookOrder[1]!.attempts[0]!.error).toMatch(/answer|time/i);

  // Ticking on: the delivered notifications are never sent again.
  for (let round = 0; round < 5; round++) await tickAll();
  await Promise.all(workers.map((worker) => worker.settled()));
  expect(flaky.received).toHaveLength(2);
  expect(slack.received).toHaveLength(1);
});

it('forgets evaluations and finished deliveries past the history kept, and keeps deliveries still owed', async () => {
  // What the test above left in this file's database: two deliveries made, the silent receiver's still owed.
  const { rows: before } = await runtime.pool.query<{ status: string; count: string }>(
    'SELECT status, count(*) FROM webhook_deliveries GROUP BY status ORDER BY status',
  );
  expect(before.map((row) => row.status)).toEqual(['delivered', 'pending']);
  const later = new Date(Date.now() + 86_400_000);
  expect(await new AlertScheduleRepository(runtime.pool).forgetEvaluationsBefore(later)).toBeGreaterThan(0);
  expect(await new WebhookDeliveryRepository(runtime.pool).forgetFinishedBefore(later)).toBe(2);
  const { rows: after } = await runtime.pool.query<{ status: string }>('SELECT status FROM webhook_deliveries');
  expect(after.map((row) => row.status)).toEqual(['pending']);
  const { rows: evaluations } = await runtime.pool.query('SELECT 1 FROM alert_evaluations');
  expect(evaluations).toEqual([]);
});
