import { expect } from 'vitest';
import type { TAlertRule, TWebhook } from '@pulse/shared/alerts';
import { bearer, callTrpc } from '../test/trpc-http.ts';
import type { IsolationContext } from './account-isolation-cases.ts';

/**
 * Alert rules, their webhooks, history and deliveries belong to their tenant: A lists only its own, B's ids are
 * unknown to A (404, as for ids that never were), and whatever A sends leaves B's rules and webhooks as they were.
 */
export function alertIsolationCases(context: IsolationContext): Record<string, () => Promise<void>> {
  let owned: Promise<{ rule: TAlertRule; webhook: TWebhook }> | null = null;
  /** B's webhook and rule, named so that expectNothingOfB finds them in anything A is answered. */
  const ofB = () =>
    (owned ??= (async () => {
      const alerts = context.runtime().services.alerts;
      const b = context.b();
      // Stored directly: B's receiver is not on the internet, and the address check is not what this suite tests.
      const webhook = await context.runtime().prisma.alertWebhook.create({
        data: { tenantId: b.id, name: `hook ${b.slug}`, url: `https://hooks.example.com/${b.slug}`, secret: `whsec_${b.slug}`, format: 'json' },
      });
      const rule = await alerts.create(b.id, {
        name: `rule ${b.slug}`,
        metric: { kind: 'events', name: b.slug },
        window: '1h',
        condition: { type: 'above', value: 1 },
        webhookId: webhook.id,
      });
      const { id, name, url, createdAt } = webhook;
      return { rule, webhook: { id, name, url, format: 'json' as const, createdAt: createdAt.toISOString() } };
    })());
  const asA = (path: string, type: 'query' | 'mutation', input?: unknown, key = context.a().keys.admin) =>
    callTrpc<unknown>(context.server().url, path, type, input, bearer(key));
  async function expectBUnchanged(): Promise<void> {
    const { rule, webhook } = await ofB();
    const alerts = context.runtime().services.alerts;
    // What B asked for, not its state: a scheduler of another test may judge B's rule meanwhile.
    const asked = ({ id, name, metric, window, condition, webhookId }: TAlertRule) => ({ id, name, metric, window, condition, webhookId });
    expect((await alerts.list(context.b().id, 'pro')).rules.map(asked)).toEqual([asked(rule)]);
    expect(await alerts.listWebhooks(context.b().id)).toEqual([webhook]);
  }
  const refusedWithBId = (path: string, type: 'query' | 'mutation', input: (owned: { rule: TAlertRule; webhook: TWebhook }) => unknown) => async () => {
    const answer = await asA(path, type, input(await ofB()));
    expect(answer.status, answer.error?.message).toBe(404);
    context.expectNothingOfB(answer.error);
    await expectBUnchanged();
  };
  const readsOwnOnly =
    (path: string, input?: unknown, scopes: Array<'read' | 'admin'> = ['read', 'admin']) =>
    async () => {
      await ofB();
      for (const key of scopes.map((scope) => context.a().keys[scope])) {
        const answer = await asA(path, 'query', input, key);
        expect(answer.status, answer.error?.message).toBe(200);
        context.expectNothingOfB(answer.data);
      }
    };
  return {
    'alerts.list': readsOwnOnly('alerts.list'),
    'alerts.create': async () => {
      const { webhook } = await ofB();
      const input = { name: 'made by A', metric: { kind: 'events' }, window: '1h', condition: { type: 'above', value: 1 }, tenantId: context.b().id };
      const created = await asA('alerts.create', 'mutation', input);
      expect(created.status, created.error?.message).toBe(200);
      // B's webhook id is not A's to name.
      const aimed = await asA('alerts.create', 'mutation', { ...input, webhookId: webhook.id });
      expect(aimed.status).toBe(400);
      context.expectNothingOfB(aimed.error);
      expect((await context.runtime().services.alerts.list(context.a().id, 'pro')).rules.map((rule) => rule.name)).toContain('made by A');
      await expectBUnchanged();
    },
    'alerts.update': refusedWithBId('alerts.update', 'mutation', ({ rule }) => ({ id: rule.id, name: 'taken by A' })),
    'alerts.delete': refusedWithBId('alerts.delete', 'mutation', ({ rule }) => ({ id: rule.id })),
    'alerts.history': refusedWithBId('alerts.history', 'query', ({ rule }) => ({ id: rule.id })),
    // Webhook addresses are for editors and up: no read key sees them.
    'alerts.webhooks': readsOwnOnly('alerts.webhooks', undefined, ['admin']),
    'alerts.createWebhook': async () => {
      await ofB();
      // The address check refuses before anything is stored; what is stored would be A's alone.
      const refused = await asA('alerts.createWebhook', 'mutation', { name: 'A hook', url: 'http://127.0.0.1:9/hook', tenantId: context.b().id });
      expect(refused.status).toBe(400);
      await expectBUnchanged();
    },
    'alerts.deleteWebhook': refusedWithBId('alerts.deleteWebhook', 'mutation', ({ webhook }) => ({ id: webhook.id })),
    'alerts.deliveries': async () => {
      const { rule } = await ofB();
      await readsOwnOnly('alerts.deliveries')();
      const answer = await asA('alerts.deliveries', 'query', { ruleId: rule.id });
      expect(answer.status).toBe(200);
      expect(answer.data).toEqual([]);
    },
  };
}
