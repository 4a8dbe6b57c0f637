// The demo's scenarios and their knobs, without Zod: the dashboard imports this and need not ship Zod.

/** The high-load demo's scenarios, run by the backend against itself (loopback only). */
export const SCENARIO_NAMES = ['traffic-spike', 'circuit-breaker', 'cache-performance', 'graceful-degradation', 'end-to-end', 'database-outage'] as const;
export type TScenarioName = (typeof SCENARIO_NAMES)[number];

export function isScenarioName(value: unknown): value is TScenarioName {
  return SCENARIO_NAMES.includes(value as TScenarioName);
}

interface NumberKnob {
  kind: 'number';
  label: string;
  description: string;
  unit: string;
  min: number;
  max: number;
  default: number;
  /** What `npm run demo -- --short` (and CI) uses: the same checks, in seconds rather than minutes. */
  short: number;
}

interface ChoiceKnob {
  kind: 'choice';
  label: string;
  description: string;
  choices: readonly string[];
  default: string;
  short: string;
}

export type TScenarioKnob = NumberKnob | ChoiceKnob;

export interface TScenarioSpec {
  title: string;
  summary: string;
  /** What the verdict checks, in words; each check in the verdict states its own expected value. */
  expectation: string;
  knobs: Record<string, TScenarioKnob>;
}

const seconds = (label: string, description: string, min: number, max: number, defaultValue: number, short: number): NumberKnob => ({
  kind: 'number',
  label,
  description,
  unit: 's',
  min,
  max,
  default: defaultValue,
  short,
});

export const SCENARIOS = {
  'traffic-spike': {
    title: 'Traffic spike',
    summary:
      'A noisy tenant on the free plan reads past its limit; then the rate of sheddable exports this server sustains is ' +
      'measured and exports ramp to several times that while ingestion continues.',
    expectation: 'Ingestion keeps at least 99% success; the noisy tenant gets 429s with Retry-After; excess exports are shed with fast 503s.',
    knobs: {
      durationSeconds: seconds('Duration', 'Noisy tenant (2 s), measuring, then the ramp and the peak.', 8, 120, 30, 10),
      multiplier: {
        kind: 'number',
        label: 'Peak',
        description: 'Peak export rate as a multiple of the measured sustainable rate.',
        unit: '×',
        min: 2,
        max: 10,
        default: 4,
        short: 3,
      },
      ingestEventsPerSecond: {
        kind: 'number',
        label: 'Ingestion',
        description: 'Events per second sent throughout, in batches of 10.',
        unit: 'events/s',
        min: 10,
        max: 5_000,
        default: 500,
        short: 200,
      },
    },
  },
  'circuit-breaker': {
    title: 'Circuit breaker',
    summary:
      'Reads and ingests steadily, then injects a PostgreSQL fault on this instance: the breakers open, reads are served ' +
      'from cache marked degraded, a half-open probe tests the database once the fault ends, and the breakers close.',
    expectation: 'The breaker opens, every read is answered (fresh or degraded from cache), a half-open probe follows the fault, and the breaker closes again.',
    knobs: {
      fault: {
        kind: 'choice',
        label: 'Fault',
        description: 'outage: every call fails; errors: 60% fail; latency: calls outlast the timeout.',
        choices: ['outage', 'errors', 'latency'],
        default: 'outage',
        short: 'outage',
      },
      faultSeconds: seconds('Fault duration', 'How long the fault lasts.', 2, 60, 8, 3),
      readsPerSecond: {
        kind: 'number',
        label: 'Reads',
        description: 'Dashboard reads per second throughout.',
        unit: 'req/s',
        min: 2,
        max: 200,
        default: 20,
        short: 20,
      },
    },
  },
  'cache-performance': {
    title: 'Cache performance',
    summary: 'Asks a set of distinct dashboard questions twice, cold then warm, and times the invalidation of tags holding 1k, 10k and 100k cached answers.',
    expectation:
      'Warm reads are at least twice as fast as cold ones at the median, the warm pass hits the cache at least 95% of the time, and every tag invalidation removes all its answers.',
    knobs: {
      questions: {
        kind: 'number',
        label: 'Questions',
        description: 'Distinct summary questions asked per pass.',
        unit: 'questions',
        min: 10,
        max: 1_000,
        default: 200,
        short: 50,
      },
      largestTag: {
        kind: 'choice',
        label: 'Largest tag',
        description: 'Invalidation is timed for tags of 1k keys up to this size.',
        choices: ['1k', '10k', '100k'],
        default: '100k',
        short: '10k',
      },
    },
  },
  'graceful-degradation': {
    title: 'Graceful degradation',
    summary:
      "Slows PostgreSQL reads and keeps about 65% of this instance's request capacity busy: a minute-by-minute series is then served " +
      'by the hour and flagged, and goes back to minutes once the pressure ends.',
    expectation: 'Before: minutes, not flagged. Under pressure: a coarser granularity, flagged "overload". After: minutes again.',
    knobs: {
      pressureSeconds: seconds('Pressure', 'How long the instance is kept busy.', 2, 60, 8, 3),
    },
  },
  'end-to-end': {
    title: 'End to end',
    summary: 'Ingests one event at a time and measures how soon a fresh dashboard read counts it (read-your-writes) and how soon the live stream delivers it.',
    expectation: 'Every event is counted by the next reads and delivered over SSE; both within a second at the 99th percentile.',
    knobs: {
      rounds: { kind: 'number', label: 'Rounds', description: 'Events sent, one at a time.', unit: 'events', min: 1, max: 200, default: 20, short: 5 },
    },
  },
  'database-outage': {
    title: 'Database outage, nothing lost',
    summary:
      'Ingests at a steady rate and cuts PostgreSQL writes on this instance for a while: accepted events go to the Redis spool, ' +
      'which drains once the database is back. Then it counts what was stored.',
    expectation:
      'Every acknowledged event is stored exactly once (stored = acknowledged, duplicates = 0), the spool filled and drained, ingestion kept at least 99% success.',
    knobs: {
      eventsPerSecond: {
        kind: 'number',
        label: 'Ingestion',
        description: 'Events per second, in batches of 10.',
        unit: 'events/s',
        min: 10,
        max: 5_000,
        default: 300,
        short: 200,
      },
      durationSeconds: seconds('Duration', 'Ingestion time, outage included.', 4, 300, 30, 8),
      outageSeconds: seconds('Outage', 'How long PostgreSQL writes fail.', 1, 120, 10, 3),
    },
  },
} as const satisfies Record<TScenarioName, TScenarioSpec>;

export type TScenarioKnobValues = Record<string, number | string>;

/** A scenario's knobs with every value filled in (defaults, or the short settings) and checked against its bounds. */
export function resolveKnobs(scenario: TScenarioName, given: TScenarioKnobValues, base: 'default' | 'short' = 'default'): TScenarioKnobValues {
  const knobs: Record<string, TScenarioKnob> = SCENARIOS[scenario].knobs;
  const unknown = Object.keys(given).filter((name) => !(name in knobs));
  if (unknown.length > 0) {
    throw new Error(`${scenario} has no knob ${unknown.join(', ')}; its knobs are ${Object.keys(knobs).join(', ')}`);
  }
  const resolved: TScenarioKnobValues = {};
  for (const [name, knob] of Object.entries(knobs)) {
    const value = given[name] ?? knob[base];
    if (knob.kind === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < knob.min || value > knob.max) {
        throw new Error(`${knob.label} (${name}) must be a number from ${knob.min} to ${knob.max} (${knob.unit}); got ${JSON.stringify(value)}`);
      }
    } else if (typeof value !== 'string' || !knob.choices.includes(value)) {
      throw new Error(`${knob.label} (${name}) must be one of ${knob.choices.join(', ')}; got ${JSON.stringify(value)}`);
    }
    resolved[name] = value;
  }
  return resolved;
}

type KnobValue<K> = K extends { kind: 'choice'; choices: readonly (infer C)[] } ? C : number;

/** The knob values of scenario N, typed from its catalog entry. */
export type TKnobsOf<N extends TScenarioName> = {
  -readonly [K in keyof (typeof SCENARIOS)[N]['knobs']]: KnobValue<(typeof SCENARIOS)[N]['knobs'][K]>;
};
