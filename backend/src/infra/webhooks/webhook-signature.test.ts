import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook } from './webhook-signature.ts';

const body = JSON.stringify({ type: 'alert.triggered', alert: 'Sign-ups below 10 per hour', project: 'Café' });
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('signWebhook', () => {
  it('signs calls that a Standard Webhooks receiver accepts', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook(secret, 'msg_2xQ1', nowSeconds(), body);
    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('is refused by the receiver when the body was changed on the way', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook(secret, 'msg_2xQ1', nowSeconds(), body);
    expect(() => new Webhook(secret).verify(body.replace('10', '1000'), headers)).toThrow('No matching signature found');
  });

  it('is refused by the receiver when signed with another secret', () => {
    const headers = signWebhook(newWebhookSecret(), 'msg_2xQ1', nowSeconds(), body);
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow('No matching signature found');
  });

  it('is refused by the receiver once the timestamp is older than its five-minute tolerance', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook(secret, 'msg_2xQ1', nowSeconds() - 6 * 60, body);
    expect(() => new Webhook(secret).verify(body, headers)).toThrow('Message timestamp too old');
  });

  it('makes a different 24-byte secret every time', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => newWebhookSecret()));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) expect(Buffer.from(secret.replace(/^whsec_/, ''), 'base64')).toHaveLength(24);
  });

  it('refuses a secret that is not in the whsec_ form', () => {
    expect(() => signWebhook('hunter2', 'msg_2xQ1', nowSeconds(), body)).toThrow('a webhook secret starts with "whsec_"');
  });
});
