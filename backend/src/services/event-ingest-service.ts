import {
  INGEST_LIMITS,
  ZIncomingEvent,
  type TIngestBatchRequest,
  type TIngestBatchResponse,
} from '@pulse/shared/ingest';
import { AppError } from '../errors/app-error.ts';
import { describeIssues } from '../errors/describe-issues.ts';
import type { TagCache } from '../infra/cache/tag-cache.ts';
import type { PubSub } from '../infra/pubsub/pubsub.ts';
import { QueueFullError, type GroupCommitter } from '../infra/db/group-commit.ts';
import type { EventRow } from '../repositories/event-repository.ts';
import { eventsCommittedChannel } from './cache-keys.ts';
import { dayTagsOf } from './cache-policy.ts';
import { correctedTimestamp, toEventRow } from './event-normalizer.ts';
import { retentionDaysFor } from './retention.ts';

type Rejection = TIngestBatchResponse['rejected'][number];
const DAY_MS = 86_400_000;

export interface EventIngestOptions {
  maxBatchEvents: number;
}

export interface IngestingTenant {
  id: number;
  plan: string;
}

/**
 * The rules of ingestion: each event is checked on its own (one bad event does not sink the batch),
 * stored once per messageId, and its commit announced so caches and live views move on.
 */
export class EventIngestService {
  constructor(
    private readonly committer: GroupCommitter<EventRow>,
    private readonly cache: Pick<TagCache, 'invalidateTags'>,
    private readonly pubsub: PubSub,
    private readonly options: EventIngestOptions,
  ) {}

  async ingest(tenant: IngestingTenant, request: TIngestBatchRequest, receivedAt = new Date()): Promise<TIngestBatchResponse> {
    this.assertBatchSize(request.batch.length);
    const rows: EventRow[] = [];
    const rejected: Rejection[] = [];
    const oldestAllowed = receivedAt.getTime() - retentionDaysFor(tenant.plan) * DAY_MS;
    request.batch.forEach((item, index) => {
      const outcome = this.checkEvent(item, request.sentAt, receivedAt, oldestAllowed);
      if ('row' in outcome) rows.push({ ...outcome.row, tenantId: tenant.id });
      else rejected.push({ index, ...outcome.rejection });
    });
    if (rows.length === 0) {
      const first = rejected[0];
      throw new AppError('BAD_REQUEST', `no event in the batch is valid; event ${first?.index}: ${first?.message}`);
    }

    const accepted = await this.commit(rows);
    if (accepted > 0) await this.announceCommit(tenant.id, accepted, rows);
    return { accepted, duplicates: rows.length - accepted, rejected };
  }

  /** Resolves once the rows are committed (group commit), with how many were new. */
  private async commit(rows: EventRow[]): Promise<number> {
    try {
      return await this.committer.submit(rows);
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      throw new AppError('SERVICE_UNAVAILABLE', 'the server is taking in more events than it can write; retry in 1 s', {
        retryAfterSeconds: 1,
        cause: error,
      });
    }
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
  ): { row: Omit<EventRow, 'tenantId'> } | { rejection: Omit<Rejection, 'index'> } {
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
    return { row: toEventRow(parsed.data, ts) };
  }

  private async announceCommit(tenantId: number, accepted: number, rows: readonly EventRow[]): Promise<void> {
    // The events are committed: failing to announce them must not turn the response into an error.
    // Only cached answers over the days these events fall on are retired; older ranges stay cached.
    await Promise.allSettled([
      this.cache.invalidateTags(tenantId, dayTagsOf(rows.map((row) => row.ts))),
      this.pubsub.publish(eventsCommittedChannel(tenantId), JSON.stringify({ tenantId, accepted })),
    ]);
  }
}
