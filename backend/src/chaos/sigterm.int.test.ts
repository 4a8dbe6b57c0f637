import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import type { ServerProcess } from '../test/server-process.ts';
import { startChaosServer, type ChaosServer } from '../test/chaos-server.ts';
import type { TestTenant } from '../test/test-tenant.ts';

// SIGTERM arrives while batches keep coming: the server stops taking requests, finishes the ones it has,
// commits what it acknowledged, and only then exits.

let chaos: ChaosServer;
let runtime: Runtime;
let tenant: TestTenant;
let server: ServerProcess;

beforeAll(async () => {
  // Slow flushes keep events waiting in the group committer when the signal arrives.
  chaos = await startChaosServer({ label: 'sigterm', env: { INGEST_FLUSH_DELAY_MS: '200' } });
  ({ runtime, tenant, server } = chaos);
});

afterAll(() => chaos?.close());

it('loses no acknowledged event when SIGTERM arrives during ingestion', async () => {
  const acknowledged = new Set<string>();
  let refused = 0;
  const send = async (sender: number) => {
    for (let seq = 0; ; seq += 1) {
      const batch = Array.from({ length: 20 }, (_, i) => ({ type: 'track', event: 'sigterm', userId: `u${i}`, messageId: `sigterm-${sender}-${seq}-${i}` }));
      try {
        const response = await fetch(`${server.url}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': tenant.keys.ingest },
          body: JSON.stringify({ batch }),
        });
        await response.arrayBuffer();
        if (response.ok) for (const event of batch) acknowledged.add(event.messageId);
        else refused += 1;
      } catch {
        return; // The server is gone: nothing more can be acknowledged.
      }
    }
  };
  const senders = Array.from({ length: 8 }, (_, sender) => send(sender));
  // The signal lands on steady traffic: batches are being acknowledged.
  await expect.poll(() => acknowledged.size, { timeout: 20_000, interval: 10 }).toBeGreaterThanOrEqual(8 * 2 * 20);
  const acknowledgedBeforeSignal = acknowledged.size;
  process.kill(server.pid, 'SIGTERM');
  const exitCode = await server.exited;
  await Promise.all(senders);

  expect(exitCode).toBe(0);
  expect(acknowledgedBeforeSignal).toBeGreaterThan(0);
  // Requests in flight at the signal were finished, not dropped.
  expect(acknowledged.size).toBeGreaterThan(acknowledgedBeforeSignal);
  const { rows } = await runtime.pool.query<{ message_id: string }>(`SELECT message_id FROM events WHERE tenant_id = $1`, [tenant.id]);
  const stored = new Set(rows.map((row) => row.message_id));
  expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);
  expect(rows.length).toBe(stored.size);
  expect(refused).toBe(0);
}, 60_000);
