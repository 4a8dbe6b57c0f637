import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookSender, type WebhookSenderOptions } from './webhook-sender.ts';
import { newWebhookSecret } from './webhook-signature.ts';

interface Receiver {
  /** The base address, e.g. http://127.0.0.1:41234 */
  origin: string;
  port: number;
  requests: Array<{ path: string; headers: IncomingHttpHeaders; body: string }>;
  connections: number;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A local receiver that records each call, then answers it with `answer`. */
async function startReceiver(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<Receiver> {
  const receiver: Receiver = { origin: '', port: 0, requests: [], connections: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      receiver.requests.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString() });
      answer(request, response);
    });
  });
  server.on('connection', () => (receiver.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.origin = `http://127.0.0.1:${receiver.port}`;
  closers.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  return receiver;
}

const status =
  (code: number, headers: Record<string, string> = {}) =>
  (_request: IncomingMessage, response: ServerResponse) =>
    response.writeHead(code, headers).end('{"ok":true}');

function sender(options: Partial<WebhookSenderOptions> = {}): WebhookSender {
  return new WebhookSender({ timeoutMs: 5_000, allowPrivateAddresses: true, userAgent: 'Pulse-Webhooks/1.0', ...options });
}

const secret = newWebhookSecret();
const body = JSON.stringify({ type: 'alert.triggered', alert: 'Error rate above 5%' });
const delivery = (url: string) => ({ url, secret, id: 'msg_alert_42', body });

describe('WebhookSender', () => {
  it('delivers a signed JSON POST that the receiver can verify', async () => {
    const receiver = await startReceiver(status(200));
    const result = await sender().send(delivery(`${receiver.origin}/hooks/pulse`));

    expect(result).toMatchObject({ outcome: 'delivered', statusCode: 200, error: null });
    const [received] = receiver.requests;
    expect(received).toMatchObject({ path: '/hooks/pulse', body, headers: { 'content-type': 'application/json', 'user-agent': 'Pulse-Webhooks/1.0' } });
    expect(new Webhook(secret).verify(received!.body, received!.headers as Record<string, string>)).toEqual(JSON.parse(body));
  });

  it('asks for a retry when the receiver fails (500) and gives up when it does not know the address (404)', async () => {
    const failing = await startReceiver(status(500));
    expect(await sender().send(delivery(failing.origin))).toMatchObject({
      outcome: 'retry',
      statusCode: 500,
      error: 'the receiver answered 500 Internal Server Error',
    });
    const missing = await startReceiver(status(404));
    expect(await sender().send(delivery(missing.origin))).toMatchObject({ outcome: 'rejected', statusCode: 404, error: 'the receiver answered 404 Not Found' });
    const busy = await startReceiver(status(429));
    expect(await sender().send(delivery(busy.origin))).toMatchObject({ outcome: 'retry', statusCode: 429 });
  });

  it('gives up on a receiver that never answers once the timeout passes, and asks for a retry', async () => {
    const receiver = await startReceiver(() => {});
    const startedAt = performance.now();
    const result = await sender({ timeoutMs: 300 }).send(delivery(receiver.origin));

    expect(result).toMatchObject({ outcome: 'retry', statusCode: null, error: 'no answer from the receiver within 300 ms' });
    expect(receiver.requests).toHaveLength(1);
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
    expect(performance.now() - startedAt).toBeLessThan(2_000);
  });

  it('asks for a retry when nothing listens at the address', async () => {
    const receiver = await startReceiver(status(200));
    await closers.pop()!();
    expect(await sender().send(delivery(receiver.origin))).toMatchObject({
      outcome: 'retry',
      statusCode: null,
      error: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('does not follow a redirect, and says where it pointed', async () => {
    const receiver = await startReceiver((request, response) => {
      if (request.url === '/hook') response.writeHead(302, { location: `${receiver.origin}/followed` }).end();
      else response.writeHead(200).end();
    });
    const result = await sender().send(delivery(`${receiver.origin}/hook`));

    expect(result).toMatchObject({ outcome: 'rejected', statusCode: 302 });
    expect(result.error).toBe(
      `the receiver answered 302 Found with a redirect to ${receiver.origin}/followed; Pulse does not follow redirects, so give the final address`,
    );
    await sender().send(delivery(`${receiver.origin}/marker`));
    expect(receiver.requests.map((request) => request.path)).toEqual(['/hook', '/marker']);
  });

  it('reads only the start of a long answer', async () => {
    const receiver = await startReceiver((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write(Buffer.alloc(1024 * 1024, 'x')); // and never ends
    });
    const result = await sender({ timeoutMs: 4_000, maxResponseBytes: 1024 }).send(delivery(receiver.origin));
    expect(result).toMatchObject({ outcome: 'delivered', statusCode: 200, error: null });
    expect(result.durationMs).toBeLessThan(2_000);
  });

  it('refuses internal addresses at connect time unless the install allows them, and no request reaches them', async () => {
    const receiver = await startReceiver(status(200));
    const publicOnly = sender({ allowPrivateAddresses: false });

    expect(await publicOnly.send(delivery(`${receiver.origin}/literal`))).toMatchObject({
      outcome: 'rejected',
      statusCode: null,
      error: 'webhook address 127.0.0.1 is a loopback address (the Pulse server itself); Pulse only calls public addresses',
    });
    // A name is checked as it resolves for this very connection, so one that turned internal since it was saved is caught.
    const byName = await publicOnly.send(delivery(`http://localhost:${receiver.port}/by-name`));
    expect(byName).toMatchObject({ outcome: 'rejected', statusCode: null });
    expect(byName.error).toMatch(/^webhook host localhost resolves to (127\.0\.0\.1|::1), a loopback address .*; Pulse only calls public addresses$/);

    await sender().send(delivery(`${receiver.origin}/marker`));
    expect(receiver.requests.map((request) => request.path)).toEqual(['/marker']);
    expect(receiver.connections).toBe(1);
  });

  it('rejects, without a request, addresses that are not http(s) and secrets it cannot sign with', async () => {
    const receiver = await startReceiver(status(200));
    expect(await sender().send({ ...delivery(receiver.origin), secret: 'hunter2' })).toMatchObject({
      outcome: 'rejected',
      error: 'could not build the webhook request: a webhook secret starts with "whsec_"; make one with newWebhookSecret()',
    });
    expect(receiver.connections).toBe(0);
    expect(await sender().send(delivery('ftp://127.0.0.1/drop'))).toMatchObject({
      outcome: 'rejected',
      statusCode: null,
      error: expect.stringContaining('not ftp:'),
    });
  });
});
