import type { Logger } from '../infra/logger.ts';
import type { LiveService } from './live-service.ts';
import { INGEST_LIMITS, MAX_EVENT_DEPTH, nestsDeeperThan, ZIncomingEvent, type TIngestBatchRequest, type TIngestBatchResponse } from '@pulse/shared/ingest';
import { AppError } from '../errors/app-error.ts';
import { describeIssues } from '../errors/describe-issues.ts';
import { DependencyUnavailableError } from '../infra/breakers/breaker-registry.ts';
import type { TagCache } from '../infra/cache/tag-cache.ts';
import { QueueFullError, type CommitResult, type GroupCommitter } from '../infra/db/group-commit.ts';
import type { ScheduledWork, TurnScheduler } from '../infra/load/turn-scheduler.ts';
import type { Spool, SpoolVerdict } from '../infra/spool/spool.ts';
import { NOT_ENRICHED, type EventRow, type QuotaRefusal } from '../repositories/event-repository.ts';
import { dayTagsOf } from './cache-policy.ts';
import { correctedTimestamp, NO_SENDER_FACTS, requestOrigin, toEventRow, type RequestOrigin, type SenderFacts } from './event-normalizer.ts';
import type { EventQuotas } from './event-quotas.ts';
import { retentionDaysFor } from './retention.ts';
import type { CookielessVisitorId, VisitorIdService } from './visitor-ids.ts';

type Rejection = TIngestBatchResponse['rejected'][number];

const DAY_MS = 86_400_000;
/** How long callers are told to wait when events can be neither stored nor spooled. */
const RETRY_WHEN_UNAVAILABLE_SECONDS = 5;

/** What was done with a request's valid events: committed now (see CommitResult), or kept in the spool. */
type CommitOutcome = CommitResult<EventRow, QuotaRefusal> | { queued: number };

export interface EventCommitters {
  /** Events of requests, counted against their tenants' monthly quotas and refused past them. */
  live: GroupCommitter<EventRow, QuotaRefusal>;
  /** Spooled events: acknowledged already, so counted and never refused. */
  replay: GroupCommitter<EventRow, QuotaRefusal>;
}

export interface EventIngestOptions {
  maxBatchEvents: number;
  /**
   * Checking a full batch takes tens of milliseconds: it runs in the CPU share of each event-loop turn, so the
   * loop keeps taking (and, under a spike, refusing) new requests meanwhile.
   */
  turns: TurnScheduler;
  logger: Pick<Logger, 'error'>;
  /** What callers past their tenant's monthly quota are told. */
  quotas: Pick<EventQuotas, 'describe' | 'exceeded'>;
  /** Ids for visitors who send none (Pulse's own tracker); without it such events have no visitor. */
  visitorIds?: Pick<VisitorIdService, 'forDay'>;
}

export interface IngestingTenant {
  id: number;
  plan: string;
}

/**
 * The rules of ingestion: each event is checked on its own (one bad event does not sink the batch),
 * stored once per messageId, counted against its tenant's monthly quota (past it, refused with the time it
 * resets), and its commit announced so caches and live views move on. While the database is out, valid events
 * go to the durable spool and are replayed later, counted then and never refused; a request is acknowledged
 * only once its events are committed or spooled.
 */
export type IngestOutcome = 'accepted' | 'duplicate' | 'rejected' | 'over_quota' | 'queued';

export class EventIngestService {
  private readonly outcomes: Record<IngestOutcome, number> = { accepted: 0, duplicate: 0, rejected: 0, over_quota: 0, queued: 0 };

  constructor(
    private readonly committers: EventCommitters,
    private readonly cache: Pick<TagCache, 'invalidateTags'>,
    private readonly live: Pick<LiveService, 'publish'>,
    /** Null in embedded mode: the database runs in this process, so there is nothing to outlast. */
    private readonly spool: Spool | null,
    private readonly options: EventIngestOptions,
  ) {}

  /** `sender`: what the HTTP request says of its sender (address, browser), for enrichment and cookieless ids. */
  async ingest(
    tenant: IngestingTenant,
    request: TIngestBatchRequest,
    receivedAt = new Date(),
    sender: SenderFacts = NO_SENDER_FACTS,
  ): Promise<TIngestBatchResponse> {
    this.assertBatchSize(request.batch.length);
    const visitorIdOf = sender.clientAddress ? await this.options.visitorIds?.forDay(receivedAt) : undefined;
    const { rows, rejected, indexOfRow } = await this.options.turns.run((scheduled) =>
      this.checkBatch(tenant, request, receivedAt, sender, visitorIdOf, scheduled),
    );
    if (rows.length === 0) throw this.nothingUsable(rejected);

    const outcome = await this.commit(rows);
    if ('queued' in outcome) {
      this.outcomes.rejected += rejected.length;
      this.outcomes.queued += outcome.queued;
      return { accepted: 0, duplicates: 0, queued: outcome.queued, rejected };
    }
    for (const { row, error } of outcome.unstorable) {
      this.options.logger.error({ err: error, messageId: row.messageId, tenantId: row.tenantId }, 'PostgreSQL refused an event that passed validation');
      rejected.push({ index: indexOfRow.get(row)!, code: 'UNSTORABLE', message: unstorableMessage(error) });
    }
    // Past the quota within this batch: the events before stay stored, those after are refused one by one.
    for (const { row, reason } of outcome.refused) {
      rejected.push({ index: indexOfRow.get(row)!, code: 'QUOTA_EXCEEDED', message: this.options.quotas.describe(reason) });
    }
    rejected.sort((a, b) => a.index - b.index);
    const accepted = outcome.stored.length;
    const overQuota = outcome.refused.length;
    const duplicates = rows.length - accepted - outcome.unstorable.length - overQuota;
    if (accepted > 0) await this.announceCommit(tenant.id, outcome.stored, rows);
    this.outcomes.over_quota += overQuota;
    if (accepted + duplicates === 0) {
      if (overQuota === 0) throw this.nothingUsable(rejected);
      this.outcomes.rejected += rejected.length - overQuota;
      throw this.options.quotas.exceeded(outcome.refused[0]!.reason);
    }
    this.outcomes.rejected += rejected.length - overQuota;
    this.outcomes.accepted += accepted;
    this.outcomes.duplicate += duplicates;
    return { accepted, duplicates, rejected };
  }

  private async checkBatch(
    tenant: IngestingTenant,
    request: TIngestBatchRequest,
    receivedAt: Date,
    sender: SenderFacts,
    visitorIdOf: CookielessVisitorId | undefined,
    scheduled: ScheduledWork,
  ) {
    const rows: EventRow[] = [];
    const rejected: Rejection[] = [];
    /** Each row's position in the batch, for rejections found only when the database refuses a row. */
    const indexOfRow = new Map<EventRow, number>();
    const oldestAllowed = receivedAt.getTime() - retentionDaysFor(tenant.plan) * DAY_MS;
    const address = sender.clientAddress;
    const origin = requestOrigin(sender, visitorIdOf && address ? (userAgent) => visitorIdOf(tenant.id, address, userAgent) : undefined);
    for (const [index, item] of request.batch.entries()) {
      const pause = scheduled.pauseIfDue();
      if (pause) await pause;
      const outcome = this.checkEvent(item, request.sentAt, receivedAt, oldestAllowed, origin);
      if ('row' in outcome) {
        const row = { ...outcome.row, tenantId: tenant.id };
        rows.push(row);
        indexOfRow.set(row, index);
      } else rejected.push({ index, ...outcome.rejection });
    }
    return { rows, rejected, indexOfRow };
  }

  private nothingUsable(rejected: Rejection[]): AppError {
    this.outcomes.rejected += rejected.length;
    const first = rejected[0];
    return new AppError('BAD_REQUEST', `no event in the batch could be stored; event ${first?.index}: ${first?.message}`);
  }

  /** Events by what became of them, since the instance started (replays of the spool not counted again). */
  outcomeCounts(): Record<IngestOutcome, number> {
    return { ...this.outcomes };
  }

  /**
   * Stores one spooled request's events. Throws while the database is still out (the spool keeps them). Only
   * the events that can never be stored (refused by PostgreSQL on their own, or a bug) are set aside.
   */
  async replaySpooled(payload: string): Promise<SpoolVerdict> {
    let rows: EventRow[];
    try {
      rows = parseSpooledRows(payload);
    } catch (error) {
      this.options.logger.error({ err: error }, 'a spooled batch is unreadable; moved to the dead-letter stream');
      return { deadLetter: { payload, reason: `unreadable: ${(error as Error).message}`, events: countSpooledEvents(payload) } };
    }
    let result: CommitResult<EventRow, QuotaRefusal>;
    try {
      result = await this.committers.replay.submit(rows);
    } catch (error) {
      if (error instanceof DependencyUnavailableError || error instanceof QueueFullError) throw error;
      this.options.logger.error({ err: error }, 'a spooled batch cannot be stored; moved to the dead-letter stream');
      return { deadLetter: { payload, reason: (error as Error).message ?? String(error), events: rows.length } };
    }
    // Announced even when nothing was new: a write that timed out may have committed without announcing.
    await this.announceCommit(rows[0]!.tenantId, result.stored, rows);
    if (result.unstorable.length === 0) return { deadLetter: null };
    this.options.logger.error(
      { err: result.unstorable[0]!.error, events: result.unstorable.length },
      'spooled events refused by PostgreSQL; moved to the dead-letter stream, the rest of their batch is stored',
    );
    return {
      deadLetter: {
        payload: JSON.stringify(result.unstorable.map(({ row }) => row)),
        reason: unstorableMessage(result.unstorable[0]!.error),
        events: result.unstorable.length,
      },
    };
  }

  /** Resolves once the rows are committed (group commit) or, with the database out, spooled. */
  private async commit(rows: EventRow[]): Promise<CommitOutcome> {
    try {
      return await this.committers.live.submit(rows);
    } catch (error) {
      if (error instanceof QueueFullError) {
        throw new AppError('SERVICE_UNAVAILABLE', 'the server is taking in more events than it can write; retry in 1 s', {
          retryAfterSeconds: 1,
          cause: error,
        });
      }
      if (!(error instanceof DependencyUnavailableError)) throw error;
      return { queued: await this.spoolRows(rows, error) };
    }
  }

  private async spoolRows(rows: EventRow[], outage: DependencyUnavailableError): Promise<number> {
    const unavailable = (what: string, cause: unknown) =>
      new AppError('SERVICE_UNAVAILABLE', `${what}; nothing was stored: retry in ${RETRY_WHEN_UNAVAILABLE_SECONDS} s`, {
        retryAfterSeconds: RETRY_WHEN_UNAVAILABLE_SECONDS,
        cause,
      });
    if (!this.spool) throw unavailable('the database is unavailable', outage);
    try {
      await this.spool.append(JSON.stringify(rows));
    } catch (error) {
      throw unavailable('the database is unavailable and the spool cannot take events either', error);
    }
    return rows.length;
  }

  private assertBatchSize(events: number): void {
    if (events <= this.options.maxBatchEvents) return;
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `the batch has ${events.toLocaleString('en-US')} events; the limit is ` +
        `${this.options.maxBatchEvents.toLocaleString('en-US')}: split it into smaller batches`,
    );
  }

  private checkEvent(
    item: unknown,
    batchSentAt: string | undefined,
    receivedAt: Date,
    oldestAllowed: number,
    origin: RequestOrigin,
  ): { row: Omit<EventRow, 'tenantId'> } | { rejection: Omit<Rejection, 'index'> } {
    // Before anything walks it recursively (measuring its size, validating it): a deep enough event overflows the stack.
    if (nestsDeeperThan(item, MAX_EVENT_DEPTH)) {
      const message = `the event nests deeper than ${MAX_EVENT_DEPTH} levels; properties, traits and context may nest ${INGEST_LIMITS.maxPropertyDepth}`;
      return { rejection: { code: 'INVALID_EVENT', message } };
    }
    const bytes = Buffer.byteLength(JSON.stringify(item) ?? '');
    if (bytes > INGEST_LIMITS.maxEventBytes) {
      const message = `the event has ${bytes.toLocaleString('en-US')} bytes; the limit is ${INGEST_LIMITS.maxEventBytes.toLocaleString('en-US')}`;
      return { rejection: { code: 'EVENT_TOO_LARGE', message } };
    }
    const parsed = ZIncomingEvent.safeParse(item);
    if (!parsed.success) return { rejection: { code: 'INVALID_EVENT', message: describeIssues(parsed.error) } };

    const ts = correctedTimestamp(parsed.data, batchSentAt, receivedAt);
    if (ts.getTime() > receivedAt.getTime() + INGEST_LIMITS.maxFutureMs) {
      const message = `the event is dated ${ts.toISOString()}, more than 24 h ahead of the server's clock; check the timestamp and sentAt`;
      return { rejection: { code: 'FUTURE_TIMESTAMP', message } };
    }
    if (ts.getTime() < oldestAllowed) {
      const message = `the event is dated ${ts.toISOString()}, before ${new Date(oldestAllowed).toISOString()}, the start of this tenant's retention`;
      return { rejection: { code: 'TOO_OLD', message } };
    }
    return { row: toEventRow(parsed.data, ts, origin) };
  }

  private async announceCommit(tenantId: number, stored: readonly EventRow[], rows: readonly EventRow[]): Promise<void> {
    // The events are committed: failing to announce them must not turn the response into an error.
    // Only cached answers over the days these events fall on are retired; older ranges stay cached.
    await Promise.allSettled([this.cache.invalidateTags(tenantId, dayTagsOf(rows.map((row) => row.ts))), this.live.publish(tenantId, stored)]);
  }
}

/** What PostgreSQL said of an event it refused, for the caller (no stack, no query). */
function unstorableMessage(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return `PostgreSQL refused the event${typeof code === 'string' ? ` (SQLSTATE ${code})` : ''}: ${typeof message === 'string' ? message : String(error)}`;
}

/** Acknowledged events in a spooled payload, however broken: at least the one request it came from. */
function countSpooledEvents(payload: string): number {
  try {
    const rows: unknown = JSON.parse(payload);
    return Array.isArray(rows) && rows.length > 0 ? rows.length : 1;
  } catch {
    return 1;
  }
}

/** Rows as `spoolRows` wrote them: JSON turned their timestamps into strings. */
function parseSpooledRows(payload: string): EventRow[] {
  const rows = JSON.parse(payload) as Array<EventRow & { ts: string }>;
  if (!Array.isArray(rows) || rows.length === 0) throw new Error('expected a non-empty array of events');
  // Rows spooled by a version without the enrichment columns read as no enrichment, not as a broken payload.
  return rows.map((row) => ({ ...NOT_ENRICHED, ...row, ts: new Date(row.ts) }));
}
