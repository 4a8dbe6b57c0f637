import type { TScenarioCheck, TScenarioFigure } from '@pulse/shared/scenarios';
import { percentile } from '../../infra/load/percentile.ts';

export { percentile };

export function latencySummary(values: readonly number[]): { p50: number | null; p95: number | null; p99: number | null } {
  const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
  return { p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), p99: round(percentile(values, 99)) };
}

export function check(name: string, expected: string, actual: string, passed: boolean): TScenarioCheck {
  return { name, expected, actual, passed };
}

export function figure(label: string, value: number | null, unit: string): TScenarioFigure {
  return { label, value: value === null ? null : Math.round(value * 100) / 100, unit };
}

export const formatPercent = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;
export const formatMs = (ms: number | null) => (ms === null ? 'none' : `${Math.round(ms)} ms`);
