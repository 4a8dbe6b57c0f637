import { z } from 'zod';
import { SCENARIO_NAMES, resolveKnobs } from './scenario-catalog.ts';
import { ZSystemMetrics } from './system.ts';

export {
  SCENARIOS,
  SCENARIO_NAMES,
  resolveKnobs,
  type TKnobsOf,
  type TScenarioKnob,
  type TScenarioKnobValues,
  type TScenarioName,
} from './scenario-catalog.ts';

/** The high-load demo's scenarios, run by the backend against itself (loopback only). */
export const ZScenarioName = z.enum(SCENARIO_NAMES);

export const ZStartScenarioRequest = z
  .object({
    scenario: ZScenarioName,
    knobs: z
      .record(z.string().max(40), z.union([z.number(), z.string().max(20)]))
      .default({})
      .describe('Unset knobs take their defaults.'),
  })
  .superRefine((request, context) => {
    try {
      resolveKnobs(request.scenario, request.knobs);
    } catch (error) {
      context.addIssue({ code: 'custom', path: ['knobs'], message: (error as Error).message });
    }
  });
export type TStartScenarioRequest = z.input<typeof ZStartScenarioRequest>;

export const ZScenarioRun = z.object({
  runId: z.string(),
  scenario: ZScenarioName,
  knobs: z.record(z.string(), z.union([z.number(), z.string()])).describe('Every knob, defaults filled in.'),
  startedAt: z.string(),
});
export type TScenarioRun = z.infer<typeof ZScenarioRun>;

export const ZScenarioStatus = z.object({
  enabled: z.boolean(),
  reason: z.string().optional().describe('Why scenarios cannot run here, when they cannot.'),
  running: ZScenarioRun.nullable().describe('The run in progress on this instance; one at a time.'),
  unavailable: z
    .partialRecord(ZScenarioName, z.string())
    .describe('Scenarios that cannot run on this instance, each with why (e.g. no spool in embedded mode).'),
});
export type TScenarioStatus = z.infer<typeof ZScenarioStatus>;

export const ZProgressRequest = z.object({
  runId: z.string().max(40),
  lastEventId: z.string().max(20).nullish().describe('Resume after this event (EventSource sends it on reconnect).'),
});

const ZCount = z.number().int().min(0);
const ZLatency = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() });

/** Once a second: the scenario's own traffic as its client saw it, and the server's figures for that second. */
export const ZScenarioSample = z.object({
  type: z.literal('sample'),
  at: z.string(),
  elapsedMs: ZCount,
  progress: z.number().min(0).max(1),
  phase: z.string(),
  traffic: z.object({
    perSecond: ZCount.describe('Requests the scenario had answered in this second.'),
    statuses: z.record(z.string(), ZCount).describe('Answers by HTTP status; "failed" when no answer came.'),
    latencyMs: ZLatency,
  }),
  server: ZSystemMetrics,
});
export type TScenarioSample = z.infer<typeof ZScenarioSample>;

/** Something that happened at a moment: a phase began, a fault was injected, a breaker changed. */
export const ZScenarioMark = z.object({
  type: z.literal('mark'),
  at: z.string(),
  elapsedMs: ZCount,
  kind: z.enum(['phase', 'fault', 'breaker', 'note']),
  label: z.string(),
});
export type TScenarioMark = z.infer<typeof ZScenarioMark>;

export const ZScenarioCheck = z.object({
  name: z.string(),
  expected: z.string(),
  actual: z.string(),
  passed: z.boolean(),
});
export type TScenarioCheck = z.infer<typeof ZScenarioCheck>;

export const ZScenarioFigure = z.object({ label: z.string(), value: z.number().nullable(), unit: z.string() });
export type TScenarioFigure = z.infer<typeof ZScenarioFigure>;

export const ZScenarioVerdict = z.object({
  type: z.literal('verdict'),
  run: ZScenarioRun,
  finishedAt: z.string(),
  outcome: z.enum(['passed', 'failed', 'cancelled', 'error']),
  checks: z.array(ZScenarioCheck),
  figures: z.array(ZScenarioFigure).describe('What was measured, for the verdict card and the export.'),
  error: z.string().optional().describe('What went wrong when the outcome is error.'),
});
export type TScenarioVerdict = z.infer<typeof ZScenarioVerdict>;

/** What the progress stream carries; it ends after the verdict. */
export const ZScenarioEvent = z.discriminatedUnion('type', [ZScenarioSample, ZScenarioMark, ZScenarioVerdict]);
export type TScenarioEvent = z.infer<typeof ZScenarioEvent>;

export const ZCancelScenarioRequest = z.object({ runId: z.string().max(40) });
export const ZCancelScenarioResponse = z.object({ cancelled: z.boolean().describe('False when the run had already finished.') });
