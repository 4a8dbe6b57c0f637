import { bearer } from './loopback-client.ts';
import type { ScenarioContext, ScenarioDefinition } from './scenario-context.ts';
import { check, figure } from './scenario-math.ts';
import { recentRange, seedEvents, summaryQuestions } from './scenario-traffic.ts';

/** Busy, but below the point where ordinary reads are shed (0.8): long series get coarser from 0.5. */
const TARGET_PRESSURE = 0.65;
const SLOW_READ_MS = 300;
const PROBE_INTERVAL_MS = 500;
const SERIES_HOURS = 6;
/**
 * A tenant holds only its share of the database pool and a short queue behind it (the read bulkhead): the
 * slow reads come from several tenants, as a busy instance's would, each with this many in flight at most.
 */
const SLOW_READS_PER_TENANT = 10;

interface SeriesAnswer {
  status: number;
  granularity: string | null;
  degradedReason: string | null;
}

/** A minute-by-minute series of the last hours: 360 points, more than the server serves under pressure. */
async function askSeries(context: ScenarioContext): Promise<SeriesAnswer> {
  const answer = await context.http.query<{ granularity: string; degraded?: { reason: string } }>(
    'analytics.timeseries',
    { ...recentRange(SERIES_HOURS), granularity: 'minute' },
    context.tenant.keys.read,
  );
  const data = answer.body?.result?.data;
  return { status: answer.status, granularity: data?.granularity ?? null, degradedReason: data?.degraded?.reason ?? null };
}

const describe = (answer: SeriesAnswer) =>
  answer.status !== 200
    ? `answered ${answer.status}`
    : `by ${answer.granularity}${answer.degradedReason ? `, flagged ${answer.degradedReason}` : ', not flagged'}`;
const isNormal = (answer: SeriesAnswer) => answer.status === 200 && answer.granularity === 'minute' && answer.degradedReason === null;

/**
 * PostgreSQL reads slowed on this instance and enough uncached reads to fill about 65% of its request
 * capacity: long series are then served coarser and flagged, and go back to normal once it is quiet.
 */
export const gracefulDegradation: ScenarioDefinition<'graceful-degradation'> = {
  expectedMs: (knobs) => 6_000 + knobs.pressureSeconds * 1_000,
  // Measured: in embedded mode the run passed once and failed once of two, its "before" already degraded.
  unavailableReason: (deps) =>
    deps.databaseInProcess
      ? "embedded PostgreSQL (PGlite) answers one query at a time on this process's own event loop: the slow reads it injects queue behind each other and stall the loop, so it cannot build the pressure it measures"
      : null,
  async run(context, knobs) {
    const { deps, traffic } = context;
    context.phase('Baseline');
    await seedEvents(context, 1_000);
    const before = await askSeries(context);

    context.phase('Building pressure');
    const callers = Math.ceil(deps.load.maxInFlight * TARGET_PRESSURE);
    const pressureMs = knobs.pressureSeconds * 1_000;
    const busyTenants = await Promise.all(
      Array.from({ length: Math.ceil(callers / SLOW_READS_PER_TENANT) }, (_, i) => deps.createTenant(`${context.run.runId}-busy-${i}`, 'enterprise')),
    );
    context.injectFault({
      target: 'postgres-read',
      latencyMs: Math.min(SLOW_READ_MS, Math.floor(deps.pgReadTimeoutMs / 3)),
      durationSeconds: knobs.pressureSeconds + 10,
    });
    const pressureStreams = busyTenants.map((tenant, i) => ({
      name: `pressure-${i}`,
      run: traffic.run({
        name: `pressure-${i}`,
        headers: bearer(tenant.keys.read),
        // Distinct questions, so each one waits for the (slowed) database rather than the cache.
        requests: { kind: 'list', items: summaryQuestions(500, 100) },
        load: { kind: 'closed', concurrency: Math.ceil(callers / busyTenants.length) },
        durationMs: pressureMs + 10_000,
        maxRequests: Math.ceil(5_000 / busyTenants.length),
      }),
    }));
    const pressured = await context.waitFor(() => deps.load.pressure() >= 0.5, 5_000, 50);
    context.mark('note', pressured ? `pressure ${deps.load.pressure().toFixed(2)} with ${callers} slow reads in flight` : 'pressure did not build');

    context.phase('Under pressure: asking for the series');
    const during: SeriesAnswer[] = [];
    const pressureEnds = performance.now() + pressureMs;
    while (performance.now() < pressureEnds) {
      during.push(await askSeries(context));
      await context.sleep(PROBE_INTERVAL_MS);
    }

    context.phase('Pressure off');
    for (const stream of pressureStreams) traffic.stop(stream.name);
    await Promise.all(pressureStreams.map((stream) => stream.run));
    context.clearFaults();
    const quiet = await context.waitFor(() => deps.load.pressure() < 0.5, 10_000, 50);
    const after = await askSeries(context);

    const flagged = during.filter((answer) => answer.status === 200 && answer.degradedReason === 'overload' && answer.granularity !== 'minute');
    const answeredDuring = during.filter((answer) => answer.status === 200).length;
    return {
      checks: [
        check('Before: full detail', 'by minute, not flagged', describe(before), isNormal(before)),
        check('Pressure builds', 'pressure ≥ 0.5', pressured ? 'yes' : `peaked below (now ${deps.load.pressure().toFixed(2)})`, pressured),
        check(
          'Under pressure: coarser and flagged',
          'by hour, flagged overload',
          flagged.length > 0 ? `${flagged.length} of ${during.length}: ${describe(flagged[0]!)}` : during.map(describe).join('; '),
          flagged.length > 0,
        ),
        check('Under pressure: still answered', 'every series answered 200', `${answeredDuring} of ${during.length}`, answeredDuring === during.length),
        check('After: full detail again', 'by minute, not flagged', quiet ? describe(after) : 'pressure stayed high', quiet && isNormal(after)),
      ],
      figures: [
        figure('Slow reads kept in flight', callers, 'requests'),
        figure('Series asked under pressure', during.length, 'requests'),
        figure('Served coarser and flagged', during.length === 0 ? null : (flagged.length / during.length) * 100, '%'),
      ],
    };
  },
};
