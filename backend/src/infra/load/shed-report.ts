import type { Logger } from '../logger.ts';
import type { Criticality, LoadMonitor } from './load-monitor.ts';

/** How often the requests refused by load shedding are summed up in the log. */
export const SHED_REPORT_INTERVAL_MS = 10_000;

const CRITICALITIES: Criticality[] = ['critical', 'default', 'sheddable'];

/**
 * One warning per interval in which load shedding refused requests, with how many of each criticality, in
 * place of a line per refusal (request-logging.ts leaves those out): a spike of refusals is when the CPU a log
 * line costs is most needed elsewhere, and a count says as much. Returns a function that stops it.
 */
export function reportShedding(load: Pick<LoadMonitor, 'status'>, logger: Pick<Logger, 'warn'>, intervalMs = SHED_REPORT_INTERVAL_MS): () => void {
  let before = load.status().shed;
  const timer = setInterval(() => {
    const now = load.status().shed;
    const refused = Object.fromEntries(CRITICALITIES.map((criticality) => [criticality, now[criticality] - before[criticality]])) as Record<
      Criticality,
      number
    >;
    before = now;
    const total = CRITICALITIES.reduce((sum, criticality) => sum + refused[criticality], 0);
    if (total > 0) {
      logger.warn(
        { refused, seconds: intervalMs / 1_000 },
        `load shedding refused ${total} request${total === 1 ? '' : 's'} in the last ${intervalMs / 1_000} s (503 with Retry-After)`,
      );
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
