import type { TLiveDelta } from '@pulse/shared/live';
import { openSse, type SseStream } from '../../infra/sse/sse-reader.ts';
import { bearer, trpcQueryPath } from './loopback-client.ts';
import type { ScenarioContext, ScenarioDefinition } from './scenario-context.ts';
import { check, figure, formatMs, percentile } from './scenario-math.ts';
import { recentRange } from './scenario-traffic.ts';

const WAIT_MS = 5_000;
const TARGET_P99_MS = 1_000;

async function totalEvents(context: ScenarioContext, range: { from: string; to: string }): Promise<number | null> {
  const answer = await context.http.query<{ totalEvents: number }>('analytics.summary', range, context.tenant.keys.read);
  return answer.body?.result?.data.totalEvents ?? null;
}

/** Waits for the live delta that carries `messageId`; resolves with when it came, or null. */
async function deliveredAt(stream: SseStream, messageId: string): Promise<number | null> {
  const deadline = performance.now() + WAIT_MS;
  while (performance.now() < deadline) {
    try {
      const message = await stream.next(deadline - performance.now());
      const delta = JSON.parse(message.data) as TLiveDelta;
      if (delta.events?.some((event) => event.messageId === messageId)) return performance.now();
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * One event at a time: sent, then read back (read-your-writes: how soon a fresh summary counts it, with the
 * cache warm) and received on the live stream (SSE delivery).
 */
export const endToEnd: ScenarioDefinition<'end-to-end'> = {
  expectedMs: (knobs) => 2_000 + knobs.rounds * 150,
  async run(context, knobs) {
    const range = recentRange(1);
    context.phase('Opening the live stream');
    const stream = await openSse(context.http.baseUrl + trpcQueryPath('analytics.live', {}), bearer(context.tenant.keys.read));
    const readYourWrites: number[] = [];
    const delivery: number[] = [];
    const acknowledgements: number[] = [];
    let unseen = 0;
    let undelivered = 0;
    try {
      let expected = (await totalEvents(context, range)) ?? 0;
      for (let round = 1; round <= knobs.rounds; round += 1) {
        context.phase(`Round ${round} of ${knobs.rounds}`);
        const messageId = `${context.run.runId}-e2e-${round}`;
        const sent = performance.now();
        const delivered = deliveredAt(stream, messageId);
        const ack = await context.http.ingest(context.tenant.keys.ingest, [
          { type: 'track', event: 'e2e_probe', messageId, userId: 'e2e', timestamp: new Date().toISOString(), properties: { path: '/e2e' } },
        ]);
        if (ack.status !== 200) throw new Error(`ingestion answered ${ack.status}`);
        acknowledgements.push(performance.now() - sent);
        expected += 1;
        const seen = await context.waitFor(async () => ((await totalEvents(context, range)) ?? -1) >= expected, WAIT_MS, 5);
        if (seen) readYourWrites.push(performance.now() - sent);
        else unseen += 1;
        const deliveredTime = await delivered;
        if (deliveredTime === null) undelivered += 1;
        else delivery.push(deliveredTime - sent);
      }
    } finally {
      stream.close();
    }

    const rywP99 = percentile(readYourWrites, 99);
    const deliveryP99 = percentile(delivery, 99);
    return {
      checks: [
        check('Every event is counted by a fresh read', `${knobs.rounds} of ${knobs.rounds}`, `${knobs.rounds - unseen} of ${knobs.rounds}`, unseen === 0),
        check(
          'Every event arrives on the live stream',
          `${knobs.rounds} of ${knobs.rounds}`,
          `${knobs.rounds - undelivered} of ${knobs.rounds}`,
          undelivered === 0,
        ),
        check('Read-your-writes time', `p99 ≤ ${TARGET_P99_MS} ms`, formatMs(rywP99), rywP99 !== null && rywP99 <= TARGET_P99_MS),
        check('Live delivery time', `p99 ≤ ${TARGET_P99_MS} ms`, formatMs(deliveryP99), deliveryP99 !== null && deliveryP99 <= TARGET_P99_MS),
      ],
      figures: [
        figure('Ingest acknowledged, p50', percentile(acknowledgements, 50), 'ms'),
        figure('Read-your-writes, p50', percentile(readYourWrites, 50), 'ms'),
        figure('Read-your-writes, p99', rywP99, 'ms'),
        figure('SSE delivery, p50', percentile(delivery, 50), 'ms'),
        figure('SSE delivery, p99', deliveryP99, 'ms'),
      ],
    };
  },
};
