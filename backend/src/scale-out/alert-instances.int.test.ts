import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { EventPartitions } from '../infra/db/event-partitions.ts';
import { AlertRuleRepository } from '../repositories/alert-rule-repository.ts';
import { AlertWebhookRepository } from '../repositories/alert-webhook-repository.ts';
import { EventRepository } from '../repositories/event-repository.ts';
import { TenantRepository } from '../repositories/tenant-repository.ts';
import type { Runtime } from '../runtime.ts';
import { AlertRuleService } from '../services/alerts/alert-rule-service.ts';
import { eventRow } from '../test/event-row.ts';
import { createScratchDatabase, type ScratchDatabase } from '../test/scratch-database.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.ts';

// Three server processes share PostgreSQL and Redis and evaluate the same alert rules: rules that were due for
// two hours (every instance was down) are caught up window by window. Mid-way, the instance holding the
// rules is killed with SIGKILL; the others take them over once its leases run out, and every window of every
// rule is judged once, every firing notified once.

const INSTANCES = 3;
const RULES = 30;
const WINDOW_MS = 5 * 60_000;
const LEASE_SECONDS = 2;
const TICK_SECONDS = 0.2;

let database: ScratchDatabase;
let runtime: Runtime;
let receiver: WebhookReceiver;
let servers: ServerProcess[] = [];

beforeAll(async () => {
  database = await createScratchDatabase();
  runtime = await startTestRuntime({ DATABASE_URL: database.url });
  receiver = await startWebhookReceiver();
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await receiver?.close();
  await runtime?.close();
  await database?.drop();
});

it('judges each window once across three instances, and hands the rules of a killed one to the others within its lease', async ({ annotate }) => {
  const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
  const tenant = await new TenantRepository(runtime.prisma).create({
    slug: `alert-instances-${randomBytes(3).toString('hex')}`,
    name: 'alerts',
    plan: 'enterprise',
  });
  const service = new AlertRuleService(
    new AlertRuleRepository(runtime.prisma),
    new AlertWebhookRepository(runtime.prisma),
    async (url) => ({ ok: true, url: new URL(url) }),
    // Created as if tomorrow: not due before every instance is up (below).
    () => new Date(Date.now() + 86_400_000),
  );
  const webhook = await service.createWebhook(tenant.id, { name: 'receiver', url: receiver.url });
  receiver.setSecret(webhook.secret);
  const rules = [];
  for (let index = 0; index < RULES; index++) {
    rules.push(
      await service.create(tenant.id, {
        name: `checkouts ${index}`,
        metric: { kind: 'events', name: 'checkout' },
        window: '5m',
        condition: { type: 'above', value: 2 },
        cooldownMinutes: 0,
        webhookId: webhook.id,
      }),
    );
  }
  // The rules' second window breaches, their third does not: each fires once and resolves once.
  const firstWindowEnd = new Date(Math.floor(twoHoursAgo.getTime() / WINDOW_MS) * WINDOW_MS);
  const breachingEnd = new Date(firstWindowEnd.getTime() + WINDOW_MS);
  await new EventPartitions(runtime.pool).ensureDays(twoHoursAgo, new Date());
  await new EventRepository(runtime.pool).insertMany(
    Array.from({ length: 4 }, (_, index) => eventRow(tenant.id, `checkout-${index}`, { name: 'checkout', ts: new Date(breachingEnd.getTime() - 60_000) })),
  );

  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: `pulse-alerts:${randomBytes(4).toString('hex')}:`,
    DB_POOL_SIZE: '4',
    ALERTS_EVERY_SECONDS: String(TICK_SECONDS),
    ALERTS_LEASE_SECONDS: String(LEASE_SECONDS),
    ALERTS_SETTLE_SECONDS: '0',
    ALERT_WEBHOOK_ALLOW_PRIVATE: 'true',
    LOG_LEVEL: 'warn',
  };
  servers = await Promise.all(Array.from({ length: INSTANCES }, () => startServerProcess(env)));
  // With every instance up, the rules turn out to have been due for two hours (as after an outage of them all).
  await runtime.pool.query('UPDATE alert_rules SET next_window_end = $2 WHERE tenant_id = $1', [tenant.id, firstWindowEnd]);

  // Mid-way through the catch-up: an instance holds rules it has not finished; it dies.
  const leaseHolder = async () => {
    const { rows } = await runtime.pool.query<{ owner: string }>(
      `SELECT lease_owner AS owner FROM alert_rules
        WHERE tenant_id = $1 AND lease_until > now() AND next_window_end < now() - interval '10 minutes'
        GROUP BY lease_owner ORDER BY count(*) DESC LIMIT 1`,
      [tenant.id],
    );
    return rows[0]?.owner ?? null;
  };
  await expect.poll(leaseHolder, { timeout: 30_000, interval: 20 }).not.toBeNull();
  const owner = (await leaseHolder())!;
  const victim = servers.find((server) => owner.endsWith(`:${server.pid}`))!;
  expect(victim, `lease owner ${owner} is one of the servers`).toBeDefined();
  process.kill(victim.pid, 'SIGKILL');
  const killedAt = Date.now();
  await victim.exited;
  // What it held with windows still to judge: nobody may take these before its leases run out.
  const { rows: held } = await runtime.pool.query<{ id: number }>(
    "SELECT id FROM alert_rules WHERE tenant_id = $1 AND lease_owner = $2 AND next_window_end < now() - interval '5 minutes'",
    [tenant.id, owner],
  );
  expect(held.length).toBeGreaterThan(0);

  // Every rule catches up to the window that closed last.
  const lastClosed = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
  const windowsPerRule = (lastClosed - firstWindowEnd.getTime()) / WINDOW_MS + 1;
  await expect
    .poll(
      async () => {
        const { rows } = await runtime.pool.query<{ count: string }>('SELECT count(*) FROM alert_evaluations WHERE tenant_id = $1 AND window_end <= $2', [
          tenant.id,
          new Date(lastClosed),
        ]);
        return Number(rows[0]!.count);
      },
      { timeout: 60_000 },
    )
    .toBe(RULES * windowsPerRule);

  // The killed instance's rules went on with another instance, within the lease and a tick or two of the kill.
  const { rows: resumed } = await runtime.pool.query<{ id: number; first_after: Date }>(
    `SELECT rule_id AS id, min(evaluated_at) AS first_after FROM alert_evaluations
      WHERE tenant_id = $1 AND rule_id = ANY($2) AND evaluated_at > $3 GROUP BY rule_id`,
    [tenant.id, held.map((rule) => rule.id), new Date(killedAt)],
  );
  expect(resumed.length).toBe(held.length);
  const handover = Math.max(...resumed.map((row) => row.first_after.getTime() - killedAt));
  const { rows: owners } = await runtime.pool.query<{ owner: string }>(
    'SELECT DISTINCT evaluated_by AS owner FROM alert_evaluations WHERE tenant_id = $1 AND rule_id = ANY($2) AND evaluated_at > $3',
    [tenant.id, held.map((rule) => rule.id), new Date(killedAt)],
  );
  expect(owners.map((row) => row.owner)).not.toContain(owner);
  await annotate(
    `${held.length} rules held by the killed instance; the last of them was judged again ${handover} ms after the kill (lease ${LEASE_SECONDS} s)`,
  );
  expect(handover).toBeLessThan((LEASE_SECONDS + 4 * TICK_SECONDS) * 1_000 + 3_000);

  // Each rule's firing and resolution reached the receiver, signed, each as one notification (one message id).
  await expect.poll(() => new Set(receiver.received.map((request) => request.headers['webhook-id'])).size, { timeout: 30_000 }).toBe(2 * RULES);
  const notifications = new Map<string, { type: string; rule: number; end: string }>();
  for (const request of receiver.received) {
    expect(request.verified).toBe(true);
    const payload = JSON.parse(request.body) as { type: string; rule: { id: number }; window: { end: string } };
    notifications.set(String(request.headers['webhook-id']), { type: payload.type, rule: payload.rule.id, end: payload.window.end });
  }
  const perRule = new Map<number, string[]>();
  for (const notification of notifications.values())
    perRule.set(notification.rule, [...(perRule.get(notification.rule) ?? []), `${notification.type} ${notification.end}`]);
  const expected = [`alert.firing ${breachingEnd.toISOString()}`, `alert.resolved ${new Date(breachingEnd.getTime() + WINDOW_MS).toISOString()}`];
  for (const rule of rules) expect(perRule.get(rule.id)?.sort()).toEqual(expected);
}, 120_000);
