// `npm run bench:sse`: 1,000 (BENCH_SUBSCRIBERS) concurrent subscribers of analytics.live on a server in its own
// process, while events are committed at an even pace; the delay from commit (the server's committedAt) to
// delivery at each subscriber, and whether every subscriber got every delta. Writes docs/BENCHMARKS.md.
// Loopback only; bounded by BENCH_SECONDS (default 10).
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@pulse/backend/config';
import { TenantRepository } from '@pulse/backend/repositories/tenant-repository';
import { startRuntime } from '@pulse/backend/runtime';
import { startServerProcess } from '@pulse/backend/test/server-process';
import type { TLiveDelta } from '@pulse/shared/live';
import { createBenchDatabase } from './lib/bench-database.ts';
import { markdownTable, writeBenchmarkSection } from './lib/benchmarks-doc.ts';
import { percentile } from './lib/load-run.ts';
import { describeMachine } from './lib/machine.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const COMMITS_PER_SECOND = Number(process.env.BENCH_COMMITS_PER_SECOND ?? 5);
const TARGET_P99_MS = 250;

const ms = (n: number) => `${n.toFixed(1)} ms`;

interface Subscriber {
  received: number;
  close(): void;
}

/**
 * One subscriber: a streaming read of the SSE body that records, for each delta, the delay from the server's
 * commit to the moment it was parsed here. Lean on purpose (no timer per message): the client shares the
 * machine's two cores with the server, and what it costs shows up in the delays.
 */
async function subscribe(url: string, headers: Record<string, string>, delays: number[]): Promise<Subscriber> {
  const controller = new AbortController();
  let response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  // A burst of connections can meet load shedding: wait as told and try again, as a client should.
  for (let attempt = 1; response.status === 503 && attempt <= 10; attempt += 1) {
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1_000));
    response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  }
  if (!response.ok || !response.body) throw new Error(`subscribe answered ${response.status}`);
  const subscriber = { received: 0, close: () => controller.abort() };
  void (async () => {
    let buffer = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          // tRPC writes `data: <json>` then `id: <id>` for each tracked delta; pings and notices carry no id.
          if (!block.includes('\nid: ')) continue;
          const data = block.slice(block.indexOf('data: ') + 6, block.indexOf('\nid: '));
          delays.push(Date.now() - Date.parse((JSON.parse(data) as TLiveDelta).committedAt));
          subscriber.received += 1;
        }
      }
    } catch {
      // Closed by the benchmark.
    }
  })();
  return subscriber;
}

async function main(): Promise<void> {
  const database = await createBenchDatabase();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const env = { DATABASE_URL: database.url, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `pulse-bench:${randomBytes(4).toString('hex')}:`, LOG_LEVEL: 'warn' };
  const runtime = await startRuntime(loadConfig(env));
  const server = await startServerProcess(env);
  const subscribers: Subscriber[] = [];
  try {
    const tenant = await new TenantRepository(runtime.prisma).create({ slug: 'bench-sse', name: 'Bench', plan: 'enterprise' });
    const readKey = (await runtime.services.apiKeys.createKey(tenant.id, 'read', 'bench')).key;
    const ingestKey = (await runtime.services.apiKeys.createKey(tenant.id, 'ingest', 'bench')).key;
    const machine = await describeMachine(runtime.pool);
    console.log(`Machine: ${machine}\nServer: ${server.url}; ${SUBSCRIBERS} subscribers, ${COMMITS_PER_SECOND} commits/s for ${SECONDS} s`);

    const delays: number[] = [];
    const connectStarted = performance.now();
    for (let opened = 0; opened < SUBSCRIBERS; opened += 100) {
      const batch = Array.from({ length: Math.min(100, SUBSCRIBERS - opened) }, () =>
        subscribe(`${server.url}/trpc/analytics.live?input=%7B%7D`, { authorization: `Bearer ${readKey}` }, delays),
      );
      subscribers.push(...(await Promise.all(batch)));
    }
    const connectSeconds = (performance.now() - connectStarted) / 1_000;
    console.log(`${subscribers.length} subscribers connected in ${connectSeconds.toFixed(1)} s`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const commits = SECONDS * COMMITS_PER_SECOND;
    const started = performance.now();
    for (let i = 0; i < commits; i += 1) {
      const response = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': ingestKey },
        body: JSON.stringify({ batch: [{ type: 'track', event: 'bench_live', userId: `u${i}`, messageId: `sse-${i}-${randomBytes(4).toString('hex')}` }] }),
      });
      if (!response.ok) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
      const nextAt = started + ((i + 1) * 1_000) / COMMITS_PER_SECOND;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextAt - performance.now())));
    }
    // Let the last deltas arrive.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const received = subscribers.map((subscriber) => subscriber.received);
    const expected = commits * SUBSCRIBERS;
    const delivered = received.reduce((sum, count) => sum + count, 0);
    const complete = received.filter((count) => count === commits).length;
    const [p50, p95, p99, max] = [50, 95, 99, 100].map((p) => percentile(delays, p));
    console.log(`delivered ${delivered} of ${expected}; p50 ${ms(p50!)} p95 ${ms(p95!)} p99 ${ms(p99!)} max ${ms(max!)}`);

    const doc = await writeBenchmarkSection(
      'bench:sse',
      `## Live updates over SSE — \`npm run bench:sse\`

Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}. The server runs in its own
process (services mode, Redis Stream live log and pub/sub); ${SUBSCRIBERS.toLocaleString('en-US')} subscribers of
\`analytics.live\` hold Server-sent Events connections from one client process on loopback while a one-event batch
is committed ${COMMITS_PER_SECOND} times a second for ${SECONDS} s. The delay is from the server's \`committedAt\` to
the moment a subscriber has parsed the delta (same machine, same clock).

${markdownTable(
  ['subscribers', 'commits', 'deliveries', 'p50', 'p95', 'p99', 'max'],
  [
    [
      SUBSCRIBERS.toLocaleString('en-US'),
      commits,
      `${delivered.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')}`,
      ms(p50!),
      ms(p95!),
      ms(p99!),
      ms(max!),
    ],
  ],
)}

- Subscribers that received every delta: ${complete.toLocaleString('en-US')} of ${SUBSCRIBERS.toLocaleString('en-US')}; connecting them all took ${connectSeconds.toFixed(1)} s.
- Target (issue 6): p99 under ${TARGET_P99_MS} ms — ${p99! < TARGET_P99_MS && delivered === expected ? 'met' : '**not met**'}.`,
    );
    console.log(`wrote ${doc}`);
  } finally {
    for (const subscriber of subscribers) subscriber.close();
    await server.stop();
    await runtime.close();
    await database.drop();
  }
}

await main();
