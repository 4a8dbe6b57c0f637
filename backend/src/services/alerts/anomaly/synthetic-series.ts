// Seeded hourly event counts with a product's rhythm (busy afternoons, quiet nights, quieter weekends), noise
// beyond Poisson (some days and hours busier than others), an optional trend, and incidents injected after a
// warm-up: spikes, drops and flat-lines. The same spec always gives the same series.
import type { Incident, IncidentKind, LabelledSeries } from './evaluation.ts';
import { mulberry32 } from '../../demo-events.ts';

const HOUR_MS = 3_600_000;
const HOURS_PER_WEEK = 168;
/** A Monday, 00:00 UTC. */
const SERIES_START = new Date('2026-01-05T00:00:00Z');

export interface SeriesSpec {
  seed: number;
  /** Mean events per hour over a week (before the trend). */
  meanPerHour: number;
  /** Weeks of history before the first incident; never judged. */
  warmupWeeks: number;
  /** Weeks judged after the warm-up, with incidents. */
  evaluationWeeks: number;
  /** Growth per week as a share (0.01: +1 % a week). */
  weeklyGrowth?: number;
  /** Standard deviation of a whole day's level, as a share (log-normal). */
  dayNoise?: number;
  /** Standard deviation of each hour's level beyond Poisson noise, as a share (log-normal). */
  hourNoise?: number;
  /** Hours between the end of one incident and the start of the next, drawn uniformly in [min, max]. */
  incidentGapHours?: { min: number; max: number };
}

function normal(random: () => number): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  return radius * Math.cos(2 * Math.PI * random());
}

function poisson(mean: number, random: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  // Knuth's method: multiply uniforms until the product falls under e^−mean.
  const limit = Math.exp(-mean);
  let count = -1;
  for (let product = 1; product > limit; product *= random()) count += 1;
  return count;
}

const uniform = (random: () => number, min: number, max: number) => min + (max - min) * random();
const uniformInt = (random: () => number, min: number, max: number) => Math.floor(uniform(random, min, max + 1));

/** The shape of a week, hour by hour from Monday 00:00 UTC, scaled to a mean of 1. */
const WEEK_SHAPE = (() => {
  const shape = Array.from({ length: HOURS_PER_WEEK }, (_, hour) => {
    const hourOfDay = hour % 24;
    const weekend = hour >= 5 * 24;
    const daytime = Math.exp(-(((hourOfDay - 14) / 4.5) ** 2));
    return (0.12 + daytime) * (weekend ? 0.55 : 1);
  });
  const mean = shape.reduce((total, value) => total + value, 0) / shape.length;
  return shape.map((value) => value / mean);
})();

/** An incident and the count it makes of a window whose normal mean is `mean`. */
type InjectedIncident = Incident & { count: (mean: number, countBefore: number) => number };

function drawIncident(kind: IncidentKind, start: number, random: () => number): InjectedIncident {
  switch (kind) {
    case 'spike': {
      const factor = uniform(random, 2, 5);
      return { kind, start, end: start + uniformInt(random, 1, 3), count: (mean) => poisson(mean * factor, random) };
    }
    case 'drop': {
      const kept = uniform(random, 0.1, 0.5);
      return { kind, start, end: start + uniformInt(random, 2, 6), count: (mean) => poisson(mean * kept, random) };
    }
    case 'flat-line': {
      // Stuck at zero (nothing arrives) or at the last count reported before it (a frozen counter).
      const atZero = random() < 0.5;
      return { kind, start, end: start + uniformInt(random, 3, 8), count: (_mean, countBefore) => (atZero ? 0 : countBefore) };
    }
  }
}

/** An hourly series following `spec`, its incidents as ground truth. */
export function generateAlertSeries(spec: SeriesSpec): LabelledSeries {
  const random = mulberry32(spec.seed);
  const { weeklyGrowth = 0, dayNoise = 0.06, hourNoise = 0.04, incidentGapHours = { min: 24, max: 72 } } = spec;
  const length = (spec.warmupWeeks + spec.evaluationWeeks) * HOURS_PER_WEEK;
  const evaluateFrom = spec.warmupWeeks * HOURS_PER_WEEK;
  const kinds: IncidentKind[] = ['spike', 'drop', 'flat-line'];
  const nextIncident = (start: number) => drawIncident(kinds[uniformInt(random, 0, kinds.length - 1)]!, start, random);

  const incidents: InjectedIncident[] = [];
  let next = nextIncident(evaluateFrom + uniformInt(random, 0, incidentGapHours.max));
  while (next.end <= length) {
    incidents.push(next);
    next = nextIncident(next.end + uniformInt(random, incidentGapHours.min, incidentGapHours.max));
  }

  const values: number[] = [];
  let dayLevel = 1;
  let incidentIndex = 0;
  for (let hour = 0; hour < length; hour += 1) {
    if (hour % 24 === 0) dayLevel = Math.exp(dayNoise * normal(random));
    const trend = (1 + weeklyGrowth) ** (hour / HOURS_PER_WEEK);
    const mean = spec.meanPerHour * WEEK_SHAPE[hour % HOURS_PER_WEEK]! * trend * dayLevel * Math.exp(hourNoise * normal(random));
    while (incidentIndex < incidents.length && incidents[incidentIndex]!.end <= hour) incidentIndex += 1;
    const incident = incidents[incidentIndex];
    values.push(incident && incident.start <= hour ? incident.count(mean, values[incident.start - 1]!) : poisson(mean, random));
  }

  return {
    name: `~${spec.meanPerHour.toLocaleString('en-US')}/h, seed ${spec.seed}`,
    start: SERIES_START,
    windowMs: HOUR_MS,
    values,
    incidents: incidents.map(({ kind, start, end }) => ({ kind, start, end })),
    evaluateFrom,
  };
}
