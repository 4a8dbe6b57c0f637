import type { TScenarioSample, TScenarioVerdict } from '@pulse/shared/scenarios';
import type { TBreakerStatus, TDependency } from '@pulse/shared/system';

/** One point per sample; `seconds` into the run is the x axis, the other keys are series. */
export type TChartRow = { seconds: number } & Record<string, number | null>;

export const statusSeriesKey = (status: string) => `status-${status}`;

/** Every answer status the run's traffic saw, numeric codes in order and "failed" (no answer) last. */
export function statusesOf(samples: readonly TScenarioSample[]): string[] {
  const statuses = new Set(samples.flatMap((sample) => Object.keys(sample.traffic.statuses)));
  return [...statuses].sort((left, right) => (Number(left) || Infinity) - (Number(right) || Infinity));
}

export function chartRowsOf(samples: readonly TScenarioSample[]): TChartRow[] {
  const statuses = statusesOf(samples);
  return samples.map((sample) => ({
    seconds: sample.elapsedMs / 1_000,
    scenarioPerSecond: sample.traffic.perSecond,
    serverPerSecond: sample.server.requests.perSecond,
    p50: sample.traffic.latencyMs.p50,
    p95: sample.traffic.latencyMs.p95,
    p99: sample.traffic.latencyMs.p99,
    cacheHitPercent: sample.server.cache.hitRatio * 100,
    spoolDepth: sample.server.spoolDepth,
    // Stacked areas need every status in every row, zero where a second had none.
    ...Object.fromEntries(statuses.map((status) => [statusSeriesKey(status), sample.traffic.statuses[status] ?? 0])),
  }));
}

export interface TBreakerStretch {
  state: TBreakerStatus['state'];
  fromMs: number;
  toMs: number;
  /** Part of the run spent in this stretch, 0..1. */
  share: number;
}

export interface TBreakerTimeline {
  dependency: TDependency;
  stretches: TBreakerStretch[];
}

/** Each breaker's states over the run as stretches of one state; a sample stands for the time since the one before. */
export function breakerTimelinesOf(samples: readonly TScenarioSample[]): TBreakerTimeline[] {
  const timelines = new Map<TDependency, TBreakerStretch[]>();
  let previousMs = 0;
  for (const sample of samples) {
    for (const breaker of sample.server.breakers) {
      const stretches = timelines.get(breaker.dependency) ?? [];
      timelines.set(breaker.dependency, stretches);
      const last = stretches.at(-1);
      if (last?.state === breaker.state) last.toMs = sample.elapsedMs;
      else stretches.push({ state: breaker.state, fromMs: previousMs, toMs: sample.elapsedMs, share: 0 });
    }
    previousMs = sample.elapsedMs;
  }
  return [...timelines].map(([dependency, stretches]) => {
    const totalMs = stretches.reduce((total, stretch) => total + stretch.toMs - stretch.fromMs, 0);
    for (const stretch of stretches) stretch.share = totalMs > 0 ? (stretch.toMs - stretch.fromMs) / totalMs : 1 / stretches.length;
    return { dependency, stretches };
  });
}

/** At most `limit` samples spread evenly over the run, the first and last always among them. */
export function thinSamples(samples: readonly TScenarioSample[], limit: number): TScenarioSample[] {
  if (samples.length <= limit) return [...samples];
  const step = (samples.length - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, index) => samples[Math.round(index * step)]!);
}

export function runDurationMs(verdict: TScenarioVerdict): number {
  return Date.parse(verdict.finishedAt) - Date.parse(verdict.run.startedAt);
}
