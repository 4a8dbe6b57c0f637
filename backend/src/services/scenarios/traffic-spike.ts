import { answered } from '../../infra/traffic/traffic-generator.ts';
import { bearer, trpcQueryPath } from './loopback-client.ts';
import type { ScenarioDefinition } from './scenario-context.ts';
import { check, figure, formatPercent } from './scenario-math.ts';
import { countOf, ingestStream, recentRange, seedEvents, statusMix, successRatio } from './scenario-traffic.ts';

const SEEDED_EVENTS = 5_000;
const EXPORT_PAGE = 500;
// Few enough that measuring never trips admission control (sheddable work may fill a tenth of capacity).
const MEASURING_CALLERS = 4;
const NOISY_MS = 2_000;

/**
 * A noisy tenant reads past its limit; then the scenario measures the export rate this instance sustains and ramps exports (sheddable) to `multiplier` times it
 * while ingestion (critical) runs at a steady rate and a noisy free-plan tenant reads past its limit.
 */
export const trafficSpike: ScenarioDefinition<'traffic-spike'> = {
  expectedMs: (knobs) => knobs.durationSeconds * 1_000 + 3_000,
  async run(context, knobs) {
    const { traffic } = context;
    const totalMs = knobs.durationSeconds * 1_000;
    const measureMs = Math.max(2_000, totalMs * 0.2);
    const spikeMs = totalMs - NOISY_MS - measureMs;
    const exportPath = trpcQueryPath('events.export', { limit: EXPORT_PAGE });
    const exportHeaders = bearer(context.tenant.keys.read);

    context.phase("Seeding the run's tenant");
    await seedEvents(context, SEEDED_EVENTS);
    const noisyTenant = await context.deps.createTenant(`${context.run.runId}-noisy`, 'free');

    // The noisy tenant goes first, alone: under the spike its reads would be shed before reaching its limit.
    context.phase('A noisy free-plan tenant reads past its limit');
    const readLimit = context.deps.rateLimit('free', 'read');
    const noisyRequests = Math.ceil(1.5 * readLimit.points);
    const noisyPerSecond = Math.min(500, Math.ceil(noisyRequests / (NOISY_MS / 1_000)));
    const noisyReadStats = await traffic.run({
      name: 'noisy-reads',
      headers: bearer(noisyTenant.keys.read),
      requests: { kind: 'list', items: [{ path: trpcQueryPath('analytics.summary', recentRange(1)) }] },
      load: { kind: 'open', fromPerSecond: noisyPerSecond, toPerSecond: noisyPerSecond, rampMs: 0 },
      durationMs: NOISY_MS,
      maxRequests: noisyRequests,
    });

    context.phase('Measuring the sustainable export rate');
    const measured = await traffic.run({
      name: 'measure',
      headers: exportHeaders,
      requests: { kind: 'list', items: [{ path: exportPath }] },
      load: { kind: 'closed', concurrency: MEASURING_CALLERS },
      durationMs: measureMs,
      maxRequests: 100_000,
    });
    const sustainablePerSecond = Math.max(1, answered(measured, (status) => status === 200) / (measureMs / 1_000));
    const peakPerSecond = sustainablePerSecond * knobs.multiplier;
    context.mark('note', `sustainable: ${sustainablePerSecond.toFixed(1)} exports/s; ramping to ${peakPerSecond.toFixed(1)}/s`);

    context.phase(`Spike to ${knobs.multiplier}× the sustainable rate`);
    const rampMs = spikeMs / 2;
    const [ingestion, exports] = await Promise.all([
      traffic.run(ingestStream(context, 'ingest', knobs.ingestEventsPerSecond, spikeMs)),
      traffic.run({
        name: 'exports',
        headers: exportHeaders,
        requests: { kind: 'list', items: [{ path: exportPath }] },
        load: { kind: 'open', fromPerSecond: sustainablePerSecond, toPerSecond: peakPerSecond, rampMs },
        durationMs: spikeMs,
        maxRequests: Math.ceil(peakPerSecond * (spikeMs / 1_000)) + 1,
      }),
    ]);
    const ingestionSuccess = successRatio(ingestion);
    const shed = countOf(exports, 503);
    const limited = countOf(noisyReadStats, 429);
    const refusalsWithoutRetryAfter = exports.retryAfterMissing + noisyReadStats.retryAfterMissing + ingestion.retryAfterMissing;
    const serverErrors = [ingestion, exports, noisyReadStats].reduce((sum, stats) => sum + answered(stats, (status) => status >= 500 && status !== 503), 0);
    return {
      checks: [
        check('Ingestion succeeds', '≥ 99% of batches answered 2xx', `${formatPercent(ingestionSuccess)} (${statusMix(ingestion)})`, ingestionSuccess >= 0.99),
        check('Excess exports are shed', 'some 503s', `${shed} of ${exports.sent} exports shed (${statusMix(exports)})`, shed > 0),
        check(
          'The noisy tenant is rate-limited',
          'some 429s',
          `${limited} of ${noisyReadStats.sent} reads limited (${statusMix(noisyReadStats)})`,
          limited > 0,
        ),
        check('Refusals say when to retry', 'Retry-After on every 429 and 503', `${refusalsWithoutRetryAfter} without`, refusalsWithoutRetryAfter === 0),
        check('No server errors', "no 5xx other than shedding's 503", `${serverErrors}`, serverErrors === 0),
      ],
      figures: [
        figure('Sustainable export rate', sustainablePerSecond, 'req/s'),
        figure('Peak export rate offered', peakPerSecond, 'req/s'),
        figure('Exports served', countOf(exports, 200), 'requests'),
        figure('Exports shed (503)', shed, 'requests'),
        figure('Ingestion success', ingestionSuccess * 100, '%'),
        figure('Events acknowledged', ingestion.acknowledged, 'events'),
        figure('Noisy tenant reads limited (429)', limited, 'requests'),
        figure('Requests the generator skipped (its own limit)', ingestion.skipped + exports.skipped + noisyReadStats.skipped, 'requests'),
      ],
    };
  },
};
