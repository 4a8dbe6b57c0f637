import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TBreakerStatus, TCacheStats } from '@pulse/shared/system';
import type { LoadStatus } from '../infra/load/load-monitor.ts';
import type { RequestStats } from '../infra/load/request-stats.ts';
import type { DeadLetterCounts } from '../infra/spool/spool.ts';
import { INGEST_PATHS } from './segment-routes.ts';

/** Where the figures come from: each part of the service keeps its own counts; this only exposes them. */
export interface MetricSources {
  cacheStats(): TCacheStats;
  breakerStatuses(): TBreakerStatus[];
  spoolDepth(): Promise<number | null>;
  /** Spooled requests this instance replayed or set aside (empty without a spool). */
  spoolReplays(): Record<string, number>;
  /** The dead-letter stream (shared by every instance); null without a spool or when Redis cannot say. */
  deadLetters(): Promise<DeadLetterCounts | null>;
  loadStatus(): LoadStatus;
  rateLimitRefusals(): Record<string, number>;
  ingestOutcomes(): Record<string, number>;
  /** tRPC procedure paths and types: the only route labels besides the Segment paths, so labels stay few. */
  procedures: Readonly<Record<string, string>>;
  /** Also told of every request, for the live per-second view. */
  requestStats: Pick<RequestStats, 'record'>;
}

const BREAKER_STATE_VALUE: Record<TBreakerStatus['state'], number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * This instance's Prometheus metrics (prom-client): request latency by route, cache, circuit breakers, rate
 * limits, load shedding, ingestion and spool, and Node's process metrics. Values are read from their owners
 * at scrape time.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requestSeconds: Histogram<'route' | 'status'>;
  private readonly routes: Set<string>;
  private readonly streams: Set<string>;
  private readonly requestStats: MetricSources['requestStats'];
  private readonly sdkReports: Counter;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    this.requestStats = sources.requestStats;
    const paths = (wanted: (type: string) => boolean) =>
      Object.entries(sources.procedures)
        .filter(([, type]) => wanted(type))
        .map(([path]) => `/trpc/${path}`);
    this.routes = new Set([...paths((type) => type !== 'subscription'), ...INGEST_PATHS, ...INGEST_PATHS.map((path) => `/beacon${path}`)]);
    // A subscription's response lasts as long as someone watches: no latency to time.
    this.streams = new Set(paths((type) => type === 'subscription'));
    collectDefaultMetrics({ register: this.registry });
    this.requestSeconds = new Histogram({
      name: 'pulse_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route (tRPC procedure or Segment path) and status class.',
      labelNames: ['route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });

    const counterBy = (name: string, help: string, label: string, read: () => Record<string, number>) =>
      new Counter({
        name,
        help,
        labelNames: [label],
        registers,
        collect() {
          this.reset();
          for (const [value, count] of Object.entries(read())) this.inc({ [label]: value }, count);
        },
      });
    const gaugeBy = (name: string, help: string, label: string, read: () => Record<string, number>) =>
      new Gauge({
        name,
        help,
        labelNames: [label],
        registers,
        collect() {
          this.reset();
          for (const [value, count] of Object.entries(read())) this.set({ [label]: value }, count);
        },
      });
    const gauge = (name: string, help: string, read: () => number | null | Promise<number | null>) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const value = await read();
          if (value === null) this.reset();
          else this.set(value);
        },
      });
    const perBreaker = (read: (breaker: TBreakerStatus) => number) => () =>
      Object.fromEntries(sources.breakerStatuses().map((breaker) => [breaker.dependency, read(breaker)]));

    counterBy('pulse_cache_events_total', 'Tag cache events by kind since the instance started.', 'kind', () => sources.cacheStats().counters);
    gauge('pulse_cache_l1_entries', "Answers held in this instance's memory.", () => sources.cacheStats().l1Entries);
    gauge('pulse_cache_l1_tags', "Tags with at least one answer in this instance's memory.", () => sources.cacheStats().l1KeysPerTag.tags);
    gaugeBy('pulse_cache_l1_keys_per_tag', "Answers per tag in this instance's memory (mean and max).", 'stat', () => {
      const { mean, max } = sources.cacheStats().l1KeysPerTag;
      return { mean, max };
    });
    gaugeBy(
      'pulse_breaker_state',
      'Circuit breaker per dependency: 0 closed, 1 half-open, 2 open.',
      'dependency',
      perBreaker((breaker) => BREAKER_STATE_VALUE[breaker.state]),
    );
    counterBy(
      'pulse_breaker_opened_total',
      'Times the breaker opened since the instance started.',
      'dependency',
      perBreaker((breaker) => breaker.opened),
    );
    gaugeBy(
      'pulse_breaker_failure_ratio',
      "Failed share of the calls in the breaker's current window.",
      'dependency',
      perBreaker((breaker) => breaker.failureRate),
    );
    counterBy('pulse_rate_limited_total', 'Calls refused by a rate limit, by limit class.', 'class', () => sources.rateLimitRefusals());
    counterBy('pulse_shed_total', 'Requests refused by admission control, by criticality.', 'criticality', () => sources.loadStatus().shed);
    gauge('pulse_in_flight_requests', 'Requests admitted and not yet answered.', () => sources.loadStatus().inFlight);
    gauge(
      'pulse_event_loop_delay_seconds',
      'Event-loop delay: the longest a timer waited in the last half second.',
      () => sources.loadStatus().eventLoopDelayMs / 1_000,
    );
    counterBy('pulse_events_ingested_total', 'Events received, by what became of them.', 'outcome', () => sources.ingestOutcomes());
    this.sdkReports = new Counter({
      name: 'pulse_sdk_reports_total',
      help: "Reports Segment's browser SDK posted about itself to /v1/m (answered, not stored).",
      registers,
    });
    gauge('pulse_spool_depth', 'Spooled requests waiting for PostgreSQL (absent without a spool).', () => sources.spoolDepth());
    counterBy(
      'pulse_spool_handled_total',
      'Spooled requests this instance replayed into PostgreSQL, or replayed with events set aside (dead_lettered).',
      'outcome',
      () => sources.spoolReplays(),
    );
    gauge(
      'pulse_dead_letter_entries',
      'Spooled requests with events that PostgreSQL refused, set aside (absent without a spool).',
      async () => (await sources.deadLetters())?.entries ?? null,
    );
    gauge(
      'pulse_dead_letter_events',
      'Acknowledged events in the dead-letter stream: each one an incident (`npm run dead-letters`).',
      async () => (await sources.deadLetters())?.events ?? null,
    );
  }

  /** Times every request that reaches it, live streams apart. */
  /** One report of Segment's SDK about itself (its `/v1/m` metrics), which Pulse counts and otherwise drops. */
  countSdkReport(): void {
    this.sdkReports.inc();
  }

  timeRequests(): RequestHandler {
    return (req, res, next) => {
      if (this.streams.has(req.path)) return next();
      const started = performance.now();
      // Read now: routers mounted under a path rewrite req.url while they handle the request.
      const route = this.routes.has(req.path) ? req.path : 'other';
      res.once('finish', () => {
        const ms = performance.now() - started;
        this.requestSeconds.observe({ route, status: `${Math.floor(res.statusCode / 100)}xx` }, ms / 1_000);
        this.requestStats.record(ms, res.statusCode);
      });
      next();
    };
  }

  handler(): RequestHandler {
    return async (_req, res) => {
      res.type(this.registry.contentType).send(await this.registry.metrics());
    };
  }
}
