import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the signature checked out with the secret the receiver was given (the standardwebhooks package's own check). */
  verified: boolean;
  /** The status answered; null while the request is held open. */
  status: number | null;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Where deliveries are checked from, once the webhook is created and its secret known. */
  setSecret(secret: string): void;
  close(): Promise<void>;
}

/**
 * A webhook receiver on loopback, as a tenant would run one: it checks each delivery's signature with the
 * reference Standard Webhooks library and answers with `answer(n)` for the n-th request (0-based), or never
 * (null), holding the connection open.
 */
export async function startWebhookReceiver(answer: (index: number) => number | null = () => 200): Promise<WebhookReceiver> {
  let verifier: Webhook | null = null;
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      let verified: boolean;
      try {
        verifier?.verify(body, request.headers as Record<string, string>);
        verified = verifier !== null;
      } catch {
        verified = false;
      }
      const entry: ReceivedWebhook = { headers: request.headers, body, verified, status: null };
      const status = answer(received.length);
      received.push(entry);
      if (status === null) return;
      entry.status = status;
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/pulse`,
    received,
    setSecret: (secret) => (verifier = new Webhook(secret)),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
