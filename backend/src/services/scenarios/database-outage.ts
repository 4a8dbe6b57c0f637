import type { ScenarioDefinition } from './scenario-context.ts';
import { check, figure, formatPercent } from './scenario-math.ts';
import { idPrefix, ingestStream, statusMix, successRatio } from './scenario-traffic.ts';

const SPOOL_POLL_MS = 200;
/** After the traffic: time for the breaker's probe, the drain, and the last commits. */
const SETTLE_MS = 45_000;

/**
 * Steady ingestion while PostgreSQL is cut on this instance: what is accepted meanwhile waits in the Redis
 * spool and is replayed once the database is back. Then every acknowledged event is looked up.
 */
export const databaseOutage: ScenarioDefinition<'database-outage'> = {
  expectedMs: (knobs) => knobs.durationSeconds * 1_000 + 8_000,
  unavailableReason: (deps) =>
    deps.hasSpool ? null : 'it needs the Redis spool, which embedded mode does not have: during a cut this instance refuses events instead of keeping them',
  async run(context, knobs) {
    const { deps, traffic } = context;
    const durationMs = knobs.durationSeconds * 1_000;
    const outageAtMs = durationMs * 0.25;
    context.phase('Ingesting');
    const ingestion = traffic.run(ingestStream(context, 'ingest', knobs.eventsPerSecond, durationMs));

    let spoolPeak = 0;
    const watchSpool = setInterval(() => {
      void deps.spoolDepth().then(
        (depth) => {
          spoolPeak = Math.max(spoolPeak, depth ?? 0);
        },
        () => {},
      );
    }, SPOOL_POLL_MS);
    try {
      await context.sleep(outageAtMs);
      context.phase('PostgreSQL cut: events go to the spool');
      context.injectFault({ target: 'postgres', outage: true, durationSeconds: knobs.outageSeconds });
      await context.sleep(knobs.outageSeconds * 1_000);
      context.phase('PostgreSQL back: the spool drains');
      const sent = await ingestion;

      context.phase('Waiting for the spool to drain');
      const drained = await context.waitFor(
        async () => (await deps.spoolDepth()) === 0 && deps.breakers.statuses().every((status) => status.state === 'closed'),
        SETTLE_MS,
        SPOOL_POLL_MS,
      );
      context.phase('Counting what was stored');
      const prefix = idPrefix(context, 'ingest');
      let stored = await deps.countStored(context.tenant.id, prefix);
      // The last replayed batch may still be committing when the spool reads empty.
      await context.waitFor(
        async () => {
          stored = await deps.countStored(context.tenant.id, prefix);
          return stored.distinctIds >= sent.acknowledged;
        },
        5_000,
        SPOOL_POLL_MS,
      );
      const duplicates = stored.rows - stored.distinctIds;
      const success = successRatio(sent);
      return {
        checks: [
          check(
            'Nothing acknowledged is lost',
            `stored = acknowledged (${sent.acknowledged})`,
            `${stored.distinctIds} stored`,
            stored.distinctIds === sent.acknowledged,
          ),
          check('Nothing is stored twice', 'duplicates = 0', `${duplicates}`, duplicates === 0),
          check('The spool took the outage', 'spool depth > 0 during the outage', `peak ${spoolPeak}`, spoolPeak > 0),
          check('The spool drained', 'depth 0 and breakers closed', drained ? 'drained' : `depth ${await deps.spoolDepth()}`, drained),
          check('Ingestion kept succeeding', '≥ 99% of batches answered 2xx', `${formatPercent(success)} (${statusMix(sent)})`, success >= 0.99),
        ],
        figures: [
          figure('Events acknowledged', sent.acknowledged, 'events'),
          figure('Events stored', stored.distinctIds, 'events'),
          figure('Duplicates', duplicates, 'events'),
          figure('Spool peak', spoolPeak, 'requests'),
          figure('Ingestion success', success * 100, '%'),
        ],
      };
    } finally {
      clearInterval(watchSpool);
    }
  },
};
