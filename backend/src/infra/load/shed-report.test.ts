import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { Criticality } from './load-monitor.ts';
import { reportShedding } from './shed-report.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function fakeLoad() {
  const shed: Record<Criticality, number> = { critical: 0, default: 0, sheddable: 0 };
  return { shed, status: () => ({ inFlight: 0, eventLoopDelayMs: 0, pressure: 0, shed: { ...shed } }) };
}

it('logs one warning per interval with the refusals of that interval, and nothing for a calm one', () => {
  const load = fakeLoad();
  const warn = vi.fn();
  const stop = reportShedding(load, { warn } as never, 1_000);

  load.shed.critical += 120;
  load.shed.sheddable += 3;
  vi.advanceTimersByTime(1_000);
  expect(warn).toHaveBeenCalledTimes(1);
  expect(warn).toHaveBeenLastCalledWith(
    { refused: { critical: 120, default: 0, sheddable: 3 }, seconds: 1 },
    'load shedding refused 123 requests in the last 1 s (503 with Retry-After)',
  );

  vi.advanceTimersByTime(1_000);
  expect(warn).toHaveBeenCalledTimes(1);

  load.shed.default += 1;
  vi.advanceTimersByTime(1_000);
  expect(warn).toHaveBeenLastCalledWith(
    { refused: { critical: 0, default: 1, sheddable: 0 }, seconds: 1 },
    'load shedding refused 1 request in the last 1 s (503 with Retry-After)',
  );

  stop();
  load.shed.critical += 5;
  vi.advanceTimersByTime(5_000);
  expect(warn).toHaveBeenCalledTimes(2);
});
