import { createHmac, randomBytes } from 'node:crypto';

// Standard Webhooks (https://www.standardwebhooks.com): any receiver with one of its libraries can check our calls.
const SECRET_PREFIX = 'whsec_';

/** A new signing secret in the Standard Webhooks form: `whsec_` and the base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64');
}

/**
 * The `webhook-id`, `webhook-timestamp` and `webhook-signature` headers that let a receiver check that `body`
 * comes from the holder of `secret`, unchanged and recently. Keep `id` the same on every attempt at one
 * message, so receivers can drop the duplicates that retries make.
 */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error(`a webhook secret starts with "${SECRET_PREFIX}"; make one with newWebhookSecret()`);
  if (!Number.isSafeInteger(timestampSeconds)) throw new Error(`a webhook timestamp is whole seconds since 1970, not ${timestampSeconds}`);
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': `v1,${signature}` };
}
