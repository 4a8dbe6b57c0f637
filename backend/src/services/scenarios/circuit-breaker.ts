import type { TInjectFaultRequest } from '@pulse/shared/system';
import { answered } from '../../infra/traffic/traffic-generator.ts';
import { bearer } from './loopback-client.ts';
import type { ScenarioDefinition } from './scenario-context.ts';
import { check, figure, formatPercent } from './scenario-math.ts';
import { ingestStream, recentRange, seedEvents, statusMix, successRatio, summaryQuestions } from './scenario-traffic.ts';

const QUESTIONS = 10;
const INGEST_EVENTS_PER_SECOND = 50;
/** After the fault: time for the jittered reset timeout, the probe and the spool drain. */
const RECOVERY_MS = 15_000;

function faultOf(kind: 'outage' | 'errors' | 'latency', seconds: number, readTimeoutMs: number): TInjectFaultRequest {
  const base = { target: 'postgres' as const, durationSeconds: seconds };
  if (kind === 'outage') return { ...base, outage: true };
  if (kind === 'errors') return { ...base, errorRate: 0.6 };
  return { ...base, latencyMs: Math.min(30_000, readTimeoutMs + 1_000) };
}

/**
 * Cached answers are left to pass their fresh time, then PostgreSQL fails on this instance: refreshes fail,
 * the breakers open, reads are answered from cache marked degraded; after the fault a half-open probe
 * succeeds and the breakers close.
 */
export const circuitBreaker: ScenarioDefinition<'circuit-breaker'> = {
  expectedMs: (knobs, deps) => 2_000 + deps.liveCacheTier.ttlMs + knobs.faultSeconds * 1_000 + 8_000,
  async run(context, knobs) {
    const { deps, traffic } = context;
    const questions = summaryQuestions(QUESTIONS);
    const readKey = context.tenant.keys.read;

    context.phase("Caching the dashboard's answers");
    await seedEvents(context, 500);
    for (let hours = 1; hours <= QUESTIONS; hours += 1) {
      // A server still busy from an earlier run may shed a read or two: those are asked again.
      let status = 0;
      const cached = await context.waitFor(
        async () => (status = (await context.http.query('analytics.summary', recentRange(hours), readKey)).status) === 200,
        10_000,
        500,
      );
      if (!cached) throw new Error(`warming the cache failed: a summary answered ${status}`);
    }
    context.phase(`Letting them pass their fresh time (${Math.round(deps.liveCacheTier.ttlMs / 1_000)} s on this server)`);
    await context.sleep(deps.liveCacheTier.ttlMs + 500);

    const faultMs = knobs.faultSeconds * 1_000;
    context.phase(`PostgreSQL fault: ${knobs.fault}`);
    const faultStartedMs = context.elapsedMs();
    context.injectFault(faultOf(knobs.fault, knobs.faultSeconds, deps.pgReadTimeoutMs));
    const trafficMs = faultMs + RECOVERY_MS;
    const readsPromise = traffic.run({
      name: 'reads',
      headers: bearer(readKey),
      requests: { kind: 'list', items: questions },
      load: { kind: 'open', fromPerSecond: knobs.readsPerSecond, toPerSecond: knobs.readsPerSecond, rampMs: 0 },
      durationMs: trafficMs,
      maxRequests: Math.ceil(knobs.readsPerSecond * (trafficMs / 1_000)) + 1,
      inspect: 'degraded',
    });
    const ingestionPromise = traffic.run(ingestStream(context, 'ingest', INGEST_EVENTS_PER_SECOND, trafficMs));

    await context.sleep(faultMs);
    context.phase('Fault over: waiting for the probe and recovery');
    const faultEndedMs = context.elapsedMs();
    const closedAgain = await context.waitFor(() => deps.breakers.statuses().every((status) => status.state === 'closed'), RECOVERY_MS - 2_000);
    const recoveredMs = context.elapsedMs();
    traffic.stop();
    const [reads, ingestion] = await Promise.all([readsPromise, ingestionPromise]);
    const after = await context.http.query<{ degraded?: unknown }>('analytics.summary', recentRange(1), readKey);

    const breakerMarks = (state: string, sinceMs: number) =>
      context.marks().filter((mark) => mark.kind === 'breaker' && mark.label.endsWith(` ${state}`) && mark.elapsedMs >= sinceMs);
    const opened = breakerMarks('open', faultStartedMs);
    const probes = breakerMarks('half-open', faultEndedMs);
    const readsAnswered = successRatio(reads);
    return {
      checks: [
        check(
          'A PostgreSQL breaker opens',
          'open after the fault begins',
          opened.length > 0 ? `${opened[0]!.label} after ${opened[0]!.elapsedMs - faultStartedMs} ms` : 'never opened',
          opened.length > 0,
        ),
        check('Reads are still answered', '≥ 99% of reads 2xx', `${formatPercent(readsAnswered)} (${statusMix(reads)})`, readsAnswered >= 0.99),
        check('Answers come from cache, marked degraded', 'some degraded answers', `${reads.degraded} of ${answered(reads)}`, reads.degraded > 0),
        check(
          'A half-open probe follows the fault',
          'half-open after the fault ends',
          probes.length > 0 ? `${probes[0]!.label} ${probes[0]!.elapsedMs - faultEndedMs} ms after` : 'none',
          probes.length > 0,
        ),
        check(
          'The breakers close again',
          'all closed',
          closedAgain
            ? `closed ${recoveredMs - faultEndedMs} ms after the fault`
            : deps.breakers
                .statuses()
                .map((status) => `${status.dependency} ${status.state}`)
                .join(', '),
          closedAgain,
        ),
        check(
          'Fresh answers after recovery',
          'a read not marked degraded',
          after.status === 200 ? (after.body?.result?.data.degraded ? 'still degraded' : 'fresh') : `answered ${after.status}`,
          after.status === 200 && !after.body?.result?.data.degraded,
        ),
      ],
      figures: [
        figure('Time to open', opened.length > 0 ? opened[0]!.elapsedMs - faultStartedMs : null, 'ms'),
        figure('Time to close after the fault', closedAgain ? recoveredMs - faultEndedMs : null, 'ms'),
        figure('Reads answered', answered(reads), 'requests'),
        figure('Degraded answers', reads.degraded, 'requests'),
        figure('Events acknowledged during the run', ingestion.acknowledged, 'events'),
        figure('Ingestion success', successRatio(ingestion) * 100, '%'),
      ],
    };
  },
};
