import { randomBytes } from 'node:crypto';
import {
  SCENARIOS,
  resolveKnobs,
  type TScenarioEvent,
  type TScenarioKnobValues,
  type TScenarioMark,
  type TScenarioName,
  type TScenarioRun,
  type TScenarioStatus,
  type TScenarioVerdict,
} from '@pulse/shared/scenarios';
import { AppError } from '../../errors/app-error.ts';
import { TrafficGenerator, addStats, answered, emptyStats } from '../../infra/traffic/traffic-generator.ts';
import type { FaultInjectionService } from '../fault-injection-service.ts';
import { LoopbackClient } from './loopback-client.ts';
import type { ScenarioContext, ScenarioDependencies, ScenarioResult } from './scenario-context.ts';
import { SCENARIO_DEFINITIONS } from './scenario-definitions.ts';
import { latencySummary } from './scenario-math.ts';
import { ScenarioRunLog, type LoggedScenarioEvent } from './scenario-run-log.ts';

/** Finished runs kept for late or reconnecting progress subscribers. */
const RUNS_KEPT = 5;
const SAMPLE_INTERVAL_MS = 1_000;
/** The longest a run waits for open breakers to half-open (their reset timeout) before it starts anyway. */
const SETTLE_BEFORE_RUN_MS = 30_000;
const BREAKER_POLL_MS = 100;

interface ActiveRun {
  run: TScenarioRun;
  /** The tenant whose admin started it: only that tenant sees, follows or cancels it. */
  tenantId: number;
  log: ScenarioRunLog;
  abort: AbortController;
  cancelled: boolean;
}

/**
 * The high-load demo's runner: one scenario at a time per instance, its traffic sent to this instance over
 * loopback only, every run bounded in requests and time and cancellable, its progress logged for SSE.
 * Scenarios inject faults, so the runner is on only where fault injection is (FAULT_INJECTION=true).
 */
export class ScenarioService {
  private baseUrl: string | null = null;
  private current: ActiveRun | null = null;
  private readonly finished = new Map<string, ActiveRun>();

  constructor(
    private readonly deps: ScenarioDependencies,
    private readonly faults: FaultInjectionService,
  ) {}

  /** Called once the server listens: where the runner sends its traffic (always a loopback address). */
  attach(loopbackUrl: string): void {
    const { hostname } = new URL(loopbackUrl);
    if (hostname !== '127.0.0.1' && hostname !== 'localhost' && hostname !== '[::1]') {
      throw new Error(`scenario traffic goes to loopback only; ${loopbackUrl} is not a loopback address`);
    }
    this.baseUrl = loopbackUrl;
  }

  status(tenantId: number): TScenarioStatus {
    const running = this.current?.tenantId === tenantId ? this.current.run : null;
    return { enabled: this.disabledReason() === null, reason: this.disabledReason() ?? undefined, running, unavailable: this.unavailable() };
  }

  private unavailable(): Partial<Record<TScenarioName, string>> {
    const reasons: Partial<Record<TScenarioName, string>> = {};
    for (const name of Object.keys(SCENARIO_DEFINITIONS) as TScenarioName[]) {
      const reason = SCENARIO_DEFINITIONS[name].unavailableReason?.(this.deps);
      if (reason) reasons[name] = reason;
    }
    return reasons;
  }

  async start(tenantId: number, scenario: TScenarioName, givenKnobs: TScenarioKnobValues): Promise<TScenarioRun> {
    const reason = this.disabledReason();
    if (reason) throw new AppError('FORBIDDEN', reason);
    const unavailable = this.unavailable()[scenario];
    if (unavailable) throw new AppError('CONFLICT', `${SCENARIOS[scenario].title} cannot run on this instance: ${unavailable}`);
    if (this.current) {
      const { run } = this.current;
      if (this.current.tenantId !== tenantId) {
        throw new AppError('CONFLICT', "another tenant's scenario is running on this instance (one at a time); try again after its verdict");
      }
      throw new AppError('CONFLICT', `${SCENARIOS[run.scenario].title} (run ${run.runId}) is running on this instance; wait for its verdict or cancel it`);
    }
    let knobs: TScenarioKnobValues;
    try {
      knobs = resolveKnobs(scenario, givenKnobs);
    } catch (error) {
      throw new AppError('BAD_REQUEST', (error as Error).message);
    }
    const run: TScenarioRun = {
      runId: `run-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
      scenario,
      knobs,
      startedAt: new Date().toISOString(),
    };
    this.current = { run, tenantId, log: new ScenarioRunLog(), abort: new AbortController(), cancelled: false };
    void this.execute(this.current, this.baseUrl!);
    return run;
  }

  /** Stops one of the tenant's runs; false when it had already finished. */
  cancel(tenantId: number, runId: string): boolean {
    const active = this.runOf(tenantId, runId);
    if (active !== this.current) return false;
    this.stop(active);
    return true;
  }

  progress(tenantId: number, runId: string, lastEventId: string | null, signal: AbortSignal): AsyncGenerator<LoggedScenarioEvent> {
    return this.runOf(tenantId, runId).log.follow(lastEventId, signal);
  }

  /** Cancels the run in progress (shutdown) and waits for its verdict. */
  async close(): Promise<void> {
    const active = this.current;
    if (!active) return;
    this.stop(active);
    for await (const _ of active.log.follow(null, new AbortController().signal));
  }

  private stop(active: ActiveRun): void {
    active.cancelled = true;
    active.abort.abort(new Error('cancelled'));
  }

  /** Another tenant's run is as unknown as one that never was. */
  private runOf(tenantId: number, runId: string): ActiveRun {
    const active = this.current?.run.runId === runId ? this.current : this.finished.get(runId);
    if (!active || active.tenantId !== tenantId) throw this.unknownRun(runId);
    return active;
  }

  private disabledReason(): string | null {
    if (!this.faults.enabled) return 'scenarios inject faults, and fault injection is off on this server: start it with FAULT_INJECTION=true to run them';
    if (!this.baseUrl) return 'this instance is not listening on a loopback address yet';
    return null;
  }

  private unknownRun(runId: string): AppError {
    return new AppError('NOT_FOUND', `no run ${runId} on this instance: runs are kept by the instance that started them, the last ${RUNS_KEPT} of them`);
  }

  private async execute(active: ActiveRun, baseUrl: string): Promise<void> {
    const { run, log, abort } = active;
    const definition = SCENARIO_DEFINITIONS[run.scenario];
    const knobs = run.knobs as never;
    const expectedMs = definition.expectedMs(knobs, this.deps);
    const startedAt = performance.now();
    const elapsedMs = () => Math.round(performance.now() - startedAt);
    const marks: TScenarioMark[] = [];
    const mark = (kind: TScenarioMark['kind'], label: string) => {
      const event: TScenarioMark = { type: 'mark', at: new Date().toISOString(), elapsedMs: elapsedMs(), kind, label };
      marks.push(event);
      log.append(event);
    };
    let phase = 'starting';
    let second = emptyStats();
    const traffic = new TrafficGenerator(baseUrl);
    traffic.onSecond((_stream, stats) => addStats(second, stats));
    // Cancelled or out of time: the traffic ends now, not when its streams would have (nor any stream started later).
    abort.signal.addEventListener('abort', () => void traffic.close(), { once: true });
    const http = new LoopbackClient(
      baseUrl,
      (status, ms) => {
        second.sent += 1;
        second.statuses[status] = (second.statuses[status] ?? 0) + 1;
        if (status !== 'failed') second.latencies.push(ms);
      },
      abort.signal,
    );
    const sample = async () => {
      const stats = second;
      second = emptyStats();
      log.append({
        type: 'sample',
        at: new Date().toISOString(),
        elapsedMs: elapsedMs(),
        progress: Math.min(0.99, elapsedMs() / expectedMs),
        phase,
        traffic: { perSecond: answered(stats), statuses: stats.statuses, latencyMs: latencySummary(stats.latencies) },
        server: await this.deps.metrics(),
      });
    };
    const sampler = setInterval(() => void sample().catch(() => {}), SAMPLE_INTERVAL_MS);
    const stopListening = this.deps.breakers.onStateChange((status) => mark('breaker', `${status.dependency} ${status.state}`));
    const timeLimitMs = 2 * expectedMs + 60_000;
    const timeLimit = setTimeout(
      () => abort.abort(new Error(`the run passed its time limit of ${Math.round(timeLimitMs / 1_000)} s and was stopped`)),
      timeLimitMs,
    );
    let injected = false;

    let result: ScenarioResult = { checks: [], figures: [] };
    let outcome: TScenarioVerdict['outcome'];
    let error: string | undefined;
    try {
      // A run starts from a calm instance: a breaker the run before left open would fail its first calls.
      if (this.deps.breakers.statuses().some((status) => status.state === 'open')) {
        phase = 'Waiting for the circuit breakers to let calls through';
        mark('phase', phase);
        const deadline = performance.now() + SETTLE_BEFORE_RUN_MS;
        while (this.deps.breakers.statuses().some((status) => status.state === 'open') && performance.now() < deadline) {
          await abortableSleep(BREAKER_POLL_MS, abort.signal);
        }
      }
      const tenant = await this.deps.createTenant(`scenario-${run.runId}`, 'enterprise');
      const context: ScenarioContext = {
        run,
        deps: this.deps,
        signal: abort.signal,
        tenant,
        http,
        traffic,
        phase: (label) => {
          phase = label;
          mark('phase', label);
        },
        mark,
        marks: () => marks,
        elapsedMs,
        injectFault: (fault) => {
          injected = true;
          const active = this.faults.inject({ latencyMs: 0, errorRate: 0, outage: false, durationSeconds: 30, ...fault });
          mark('fault', `fault injected: ${describeFault(fault)} until ${active.faults[0]?.until ?? '?'}`);
        },
        clearFaults: () => {
          this.faults.clear();
          mark('fault', 'faults cleared');
        },
        sleep: (ms) => abortableSleep(ms, abort.signal),
        waitFor: async (condition, timeoutMs, intervalMs = 100) => {
          const deadline = performance.now() + timeoutMs;
          for (;;) {
            if (await condition()) return true;
            if (performance.now() >= deadline) return false;
            await abortableSleep(intervalMs, abort.signal);
          }
        },
      };
      result = await definition.run(context, knobs);
      outcome = result.checks.every((entry) => entry.passed) ? 'passed' : 'failed';
    } catch (caught) {
      if (active.cancelled) {
        outcome = 'cancelled';
      } else {
        outcome = 'error';
        error = abort.signal.aborted ? (abort.signal.reason as Error).message : (caught as Error).message;
        this.deps.logger.error({ err: caught, runId: run.runId }, `scenario ${run.scenario} failed`);
      }
    } finally {
      clearInterval(sampler);
      clearTimeout(timeLimit);
      abort.abort(new Error('the run ended'));
      await traffic.close();
      if (injected) this.faults.clear();
      stopListening();
    }
    await sample().catch(() => {});
    const verdict: TScenarioEvent = { type: 'verdict', run, finishedAt: new Date().toISOString(), outcome, ...result, error };
    log.append(verdict);
    log.finish();
    this.current = null;
    this.finished.set(run.runId, active);
    for (const runId of [...this.finished.keys()].slice(0, -RUNS_KEPT)) this.finished.delete(runId);
  }
}

function describeFault(fault: { target: string; outage?: boolean; errorRate?: number; latencyMs?: number; durationSeconds?: number }): string {
  const kind = fault.outage ? 'outage' : fault.errorRate ? `${Math.round(fault.errorRate * 100)}% of calls fail` : `+${fault.latencyMs} ms per call`;
  return `${fault.target} ${kind} for ${fault.durationSeconds ?? 30} s`;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
