import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoadMonitor } from './load-monitor.ts';

let monitor: LoadMonitor | undefined;
afterEach(() => monitor?.stop());

describe('LoadMonitor', () => {
  it('sheds the least critical first as requests pile up, and critical work only when full', () => {
    monitor = new LoadMonitor({ maxInFlight: 10, maxEventLoopDelayMs: 10_000 });
    // A calm instance still caps sheddable work at a tenth of its capacity.
    expect(monitor.tryAdmit('sheddable')).toBe(true);
    expect(monitor.tryAdmit('sheddable')).toBe(false);
    for (let i = 0; i < 4; i += 1) expect(monitor.tryAdmit('default')).toBe(true);
    monitor.release('sheddable');
    // 4 in flight of 10: below half, so sheddable work is taken again…
    expect(monitor.tryAdmit('sheddable')).toBe(true);
    expect(monitor.tryAdmit('critical')).toBe(true);
    // …at 6 of 10 (pressure 0.6) it is not, while default work still is until 0.8.
    monitor.release('sheddable');
    expect(monitor.tryAdmit('default')).toBe(true);
    expect(monitor.underPressure()).toBe(true);
    expect(monitor.tryAdmit('sheddable')).toBe(false);
    expect(monitor.tryAdmit('default')).toBe(true);
    expect(monitor.tryAdmit('default')).toBe(true);
    expect(monitor.tryAdmit('default')).toBe(false);
    expect(monitor.tryAdmit('critical')).toBe(true);
    expect(monitor.tryAdmit('critical')).toBe(true);
    expect(monitor.tryAdmit('critical')).toBe(false);
    expect(monitor.status()).toMatchObject({ inFlight: 10, shed: { sheddable: 2, default: 1, critical: 1 } });
  });

  it('counts a blocked event loop as load: optional work is refused, ingestion is not', async () => {
    monitor = new LoadMonitor({ maxInFlight: 1_000, maxEventLoopDelayMs: 100, sampleIntervalMs: 50 });
    // Time under test: a few 50 ms samples of a calm loop must not count as load.
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(monitor.tryAdmit('sheddable')).toBe(true);
    monitor.release('sheddable');
    const blockedUntil = Date.now() + 300;
    while (Date.now() < blockedUntil) {
      // A synchronous stretch, as a huge JSON body or a hot loop would cause.
    }
    await vi.waitFor(() => expect(monitor!.status().eventLoopDelayMs).toBeGreaterThan(100), { timeout: 5_000, interval: 10 });
    expect(monitor.tryAdmit('sheddable')).toBe(false);
    expect(monitor.tryAdmit('default')).toBe(false);
    expect(monitor.tryAdmit('critical')).toBe(true);
  });
});
