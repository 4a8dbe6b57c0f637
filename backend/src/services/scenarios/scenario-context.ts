import type { TScenarioCheck, TScenarioFigure, TScenarioMark, TScenarioName, TScenarioRun, TKnobsOf } from '@pulse/shared/scenarios';
import type { TInjectFaultRequest, TSystemMetrics } from '@pulse/shared/system';
import type { TPlan } from '@pulse/shared/plans';
import type { BreakerRegistry } from '../../infra/breakers/breaker-registry.ts';
import type { TagCache } from '../../infra/cache/tag-cache.ts';
import type { TagStore } from '../../infra/cache/tag-store.ts';
import type { Logger } from '../../infra/logger.ts';
import type { TrafficGenerator } from '../../infra/traffic/traffic-generator.ts';
import type { RateLimitClass } from '../rate-limit-plans.ts';
import type { LoopbackClient } from './loopback-client.ts';

export interface ScenarioTenant {
  id: number;
  keys: { ingest: string; read: string; admin: string };
}

/** What the runner needs from the rest of the instance (runtime.ts wires it). */
export interface ScenarioDependencies {
  metrics(): Promise<TSystemMetrics>;
  breakers: Pick<BreakerRegistry, 'statuses' | 'onStateChange'>;
  cache: Pick<TagCache, 'invalidateTags' | 'stats'>;
  /** Where answers are shared between instances (Redis; this instance's memory in embedded mode). */
  sharedAnswers: TagStore;
  liveCacheTier: { ttlMs: number; graceMs: number };
  pgReadTimeoutMs: number;
  load: { pressure(): number; readonly maxInFlight: number };
  spoolDepth(): Promise<number | null>;
  /** False in embedded mode: there is no Redis to keep events in while PostgreSQL is out. */
  hasSpool: boolean;
  /** True in embedded mode: PGlite answers one query at a time, in this process, on its event loop. */
  databaseInProcess: boolean;
  rateLimit(plan: TPlan, kind: RateLimitClass): { points: number; windowSeconds: number };
  /** A new tenant with one key per scope: each run writes to its own, so its counts are its own. */
  createTenant(slug: string, plan: TPlan): Promise<ScenarioTenant>;
  /** Events stored for a tenant whose messageId starts with `prefix`: rows, and distinct ids among them. */
  countStored(tenantId: number, messageIdPrefix: string): Promise<{ rows: number; distinctIds: number }>;
  logger: Logger;
}

/** What a scenario works with during its run. */
export interface ScenarioContext {
  run: TScenarioRun;
  deps: ScenarioDependencies;
  /** Aborts on cancel or at the time limit; every wait below rejects then. */
  signal: AbortSignal;
  tenant: ScenarioTenant;
  http: LoopbackClient;
  traffic: TrafficGenerator;
  /** Starts a named phase: shown with the progress bar and marked on the timeline. */
  phase(label: string): void;
  mark(kind: TScenarioMark['kind'], label: string): void;
  marks(): readonly TScenarioMark[];
  elapsedMs(): number;
  /** Injects a fault on this instance (cleared when the run ends, whatever happens). */
  injectFault(fault: TInjectFaultRequest): void;
  clearFaults(): void;
  sleep(ms: number): Promise<void>;
  /** Polls `condition` until it holds (true) or `timeoutMs` passes (false). */
  waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs?: number): Promise<boolean>;
}

export interface ScenarioResult {
  checks: TScenarioCheck[];
  figures: TScenarioFigure[];
}

export interface ScenarioDefinition<N extends TScenarioName> {
  /** About how long a run takes with these knobs (the progress bar); the run is stopped at twice this plus a minute. */
  expectedMs(knobs: TKnobsOf<N>, deps: ScenarioDependencies): number;
  run(context: ScenarioContext, knobs: TKnobsOf<N>): Promise<ScenarioResult>;
  /** Why this scenario cannot run on this instance, when it cannot (what it needs is missing). */
  unavailableReason?(deps: ScenarioDependencies): string | null;
}
