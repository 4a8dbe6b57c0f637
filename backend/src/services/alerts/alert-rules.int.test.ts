import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ALERT_RULES_BY_PLAN, type TAlertRule, type TAlertRuleList } from '@pulse/shared/alerts';
import { TenantRepository } from '../../repositories/tenant-repository.ts';
import type { Runtime } from '../../runtime.ts';
import { startTestRuntime } from '../../test/test-runtime.ts';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '../../test/test-tenant.ts';
import { bearer, callTrpc } from '../../test/trpc-http.ts';

// The rules of alert rules over HTTP, as a tenant meets them: plan limits, which rules make sense, and which
// webhook addresses Pulse will call.

let runtime: Runtime;
let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  runtime = await startTestRuntime();
  server = await startTestServer(runtime);
  tenant = await createTestTenant(runtime, 'alert-rules');
});

afterAll(async () => {
  await server?.close();
  await runtime?.close();
});

const RULE = { name: 'sign-ups', metric: { kind: 'events', name: 'signup' }, window: '1h', condition: { type: 'above', value: 10 } };
const asAdmin = <T>(path: string, type: 'query' | 'mutation', input?: unknown, key = tenant.keys.admin) =>
  callTrpc<T>(server.url, path, type, input, bearer(key));

describe('alert rules', () => {
  it('keeps a free tenant to its plan’s five rules, saying so', async () => {
    const freeTenant = await new TenantRepository(runtime.prisma).create({ slug: `alert-free-${Date.now().toString(36)}`, name: 'Free', plan: 'free' });
    const [admin, read] = await Promise.all((['admin', 'read'] as const).map((scope) => runtime.services.apiKeys.createKey(freeTenant.id, scope, scope)));
    const free = { keys: { admin: admin!.key, read: read!.key } };
    const limit = MAX_ALERT_RULES_BY_PLAN.free!;
    for (let index = 0; index < limit; index++) {
      expect((await asAdmin('alerts.create', 'mutation', { ...RULE, name: `rule ${index}` }, free.keys.admin)).status).toBe(200);
    }
    const refused = await asAdmin('alerts.create', 'mutation', RULE, free.keys.admin);
    expect(refused.status).toBe(403);
    expect(refused.error?.message).toBe(
      `the free plan allows ${limit} alert rules and this tenant has ${limit}; delete a rule first, or move to a plan that allows more`,
    );
    const list = await asAdmin<TAlertRuleList>('alerts.list', 'query', undefined, free.keys.read);
    expect(list.data).toMatchObject({ limit, plan: 'free' });
    expect(list.data!.rules).toHaveLength(limit);
  });

  it('refuses rules that cannot be judged, with what to change', async () => {
    const visitorsPerFiveMinutes = await asAdmin('alerts.create', 'mutation', { ...RULE, metric: { kind: 'visitors' }, window: '5m' });
    expect(visitorsPerFiveMinutes.status).toBe(400);
    expect(visitorsPerFiveMinutes.error?.message).toContain('visitors are counted per hour and per day: choose a 1h or 1d window');
    const created = await asAdmin<TAlertRule>('alerts.create', 'mutation', { ...RULE, condition: { type: 'anomalous', direction: 'either' } });
    expect(created.status).toBe(200);
    // Changing only the window of an anomaly rule to five minutes is refused as a whole rule would be.
    const narrowed = await asAdmin('alerts.update', 'mutation', { id: created.data!.id, window: '5m' });
    expect(narrowed.status).toBe(400);
    expect(narrowed.error?.message).toContain('anomalies are judged against past weeks');
    const anomalousGoal = await asAdmin('alerts.create', 'mutation', {
      ...RULE,
      metric: { kind: 'goal', goalId: 1 },
      condition: { type: 'anomalous', direction: 'up' },
    });
    expect(anomalousGoal.status).toBe(400);
    expect(anomalousGoal.error?.message).toContain('anomalies are judged for events (without filters) and visitors');
    const missingHook = await asAdmin('alerts.create', 'mutation', { ...RULE, webhookId: 999_999 });
    expect(missingHook.status).toBe(400);
    expect(missingHook.error?.message).toContain('no webhook with id 999999');
  });

  it('refuses webhooks aimed at the internal network, and shows a new one’s secret once', async () => {
    for (const [url, reason] of [
      ['http://10.0.0.5/hook', 'webhook address 10.0.0.5 is a private address; Pulse only calls public addresses'],
      ['http://169.254.169.254/latest/meta-data', 'link-local'],
      ['http://127.0.0.1:3001/trpc', 'loopback'],
      ['http://[::1]/hook', 'loopback'],
      ['http://localhost/hook', 'loopback'],
      ['ftp://example.com/hook', 'https://'],
    ] as const) {
      const refused = await asAdmin('alerts.createWebhook', 'mutation', { name: 'internal', url });
      expect(refused.status, url).toBe(400);
      expect(refused.error?.message, url).toContain(reason);
    }
    expect((await asAdmin<unknown[]>('alerts.webhooks', 'query')).data).toEqual([]);

    const created = await asAdmin<{ id: number; secret: string; url: string }>('alerts.createWebhook', 'mutation', {
      name: 'public',
      url: 'https://93.184.215.14/hooks/pulse',
    });
    expect(created.status, created.error?.message).toBe(200);
    expect(created.data!.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const listed = await asAdmin<Array<Record<string, unknown>>>('alerts.webhooks', 'query');
    expect(listed.data).toEqual([expect.objectContaining({ id: created.data!.id, url: 'https://93.184.215.14/hooks/pulse' })]);
    expect(JSON.stringify(listed.data)).not.toContain(created.data!.secret);
  });
});
