import { lookup } from 'node:dns';
import { request as httpRequest, STATUS_CODES, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { signWebhook } from './webhook-signature.ts';
import { addressRefusal, parseWebhookUrl } from './webhook-target.ts';

export interface WebhookSenderOptions {
  /** The most one attempt may take, from connecting to the receiver's answer; past it the attempt counts as failed. */
  timeoutMs: number;
  /** As in WebhookTargetPolicy: lets webhooks reach loopback and private networks. */
  allowPrivateAddresses: boolean;
  userAgent: string;
  /** How much of the receiver's answer is read (then discarded) before hanging up; 4 KiB by default. */
  maxResponseBytes?: number;
}

export interface WebhookDelivery {
  url: string;
  secret: string;
  /** The same on every attempt at one message, so receivers can drop duplicates. */
  id: string;
  /** JSON, sent exactly as given. */
  body: string;
  /** When this attempt was signed; now by default. */
  timestampSeconds?: number;
}

export interface WebhookAttemptResult {
  /** delivered: the receiver took it (2xx); retry: try again later (5xx, 408, 429, no answer); rejected: trying again will not help. */
  outcome: 'delivered' | 'retry' | 'rejected';
  statusCode: number | null;
  durationMs: number;
  /** What went wrong, in words a tenant can act on; null when delivered. */
  error: string | null;
}

/** How one attempt ended on the wire: the receiver's status if it answered, else why not. */
interface Exchange {
  statusCode: number | null;
  location: string | undefined;
  failure: Error | null;
}

class PrivateAddressError extends Error {}

class NoAnswerError extends Error {}

/** Resolves like node:http would, but fails when any address is not public, so a name can't turn private after it was checked. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refusal = addresses.map((entry) => addressRefusal(hostname, entry.address)).find((reason) => reason !== null);
    if (refusal) return callback(new PrivateAddressError(refusal), []);
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first) return callback(Object.assign(new Error(`webhook host ${hostname} has no addresses`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
};

/** POSTs signed webhooks, one attempt per call; the caller keeps the schedule of retries (see webhook-backoff.ts). */
export class WebhookSender {
  private readonly maxResponseBytes: number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.maxResponseBytes = options.maxResponseBytes ?? 4096;
  }

  /** One attempt at `delivery`. Never throws: every failure comes back as an outcome with its reason. */
  async send(delivery: WebhookDelivery): Promise<WebhookAttemptResult> {
    const startedAt = performance.now();
    const result = (outcome: WebhookAttemptResult['outcome'], statusCode: number | null, error: string | null): WebhookAttemptResult => ({
      outcome,
      statusCode,
      durationMs: Math.round(performance.now() - startedAt),
      error,
    });

    const target = parseWebhookUrl(delivery.url, this.options);
    if (!target.ok) return result('rejected', null, target.reason);
    let exchange: Exchange;
    try {
      exchange = await this.post(target.url, delivery);
    } catch (error) {
      return result('rejected', null, `could not build the webhook request: ${(error as Error).message}`);
    }

    const { statusCode, location, failure } = exchange;
    if (statusCode !== null) {
      if (statusCode >= 200 && statusCode < 300) return result('delivered', statusCode, null);
      const answered = `the receiver answered ${statusCode} ${STATUS_CODES[statusCode] ?? ''}`.trimEnd();
      if (statusCode >= 500 || statusCode === 408 || statusCode === 429) return result('retry', statusCode, answered);
      if (statusCode >= 300 && statusCode < 400) {
        // A redirect could point anywhere, a private address included; its target was never checked.
        const redirect = location ? ` with a redirect to ${location}` : '';
        return result('rejected', statusCode, `${answered}${redirect}; Pulse does not follow redirects, so give the final address`);
      }
      return result('rejected', statusCode, answered);
    }
    if (failure instanceof PrivateAddressError) return result('rejected', null, failure.message);
    if (failure instanceof NoAnswerError) return result('retry', null, failure.message);
    return result('retry', null, `could not reach the receiver: ${failure?.message ?? 'the connection closed'}`);
  }

  private post(url: URL, delivery: WebhookDelivery): Promise<Exchange> {
    const body = Buffer.from(delivery.body);
    const timestampSeconds = delivery.timestampSeconds ?? Math.floor(Date.now() / 1000);
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      // A connection of its own for every attempt: a pooled socket would skip the address check of a new connection.
      agent: false,
      lookup: this.options.allowPrivateAddresses ? undefined : publicOnlyLookup,
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        'user-agent': this.options.userAgent,
        ...signWebhook(delivery.secret, delivery.id, timestampSeconds, delivery.body),
      },
    });

    return new Promise((resolve) => {
      const answer: Omit<Exchange, 'failure'> = { statusCode: null, location: undefined };
      // The first call decides; later ones (the close that destroy() causes) find the promise settled.
      const settle = (failure: Error | null) => {
        clearTimeout(deadline);
        request.destroy();
        resolve({ ...answer, failure });
      };
      const deadline = setTimeout(() => settle(new NoAnswerError(`no answer from the receiver within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      request.on('error', (error) => settle(error));
      request.on('response', (response: IncomingMessage) => {
        answer.statusCode = response.statusCode ?? null;
        answer.location = response.headers.location;
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received >= this.maxResponseBytes) settle(null);
        });
        response.on('error', () => settle(null));
        response.on('close', () => settle(null));
      });
      request.end(body);
    });
  }
}
