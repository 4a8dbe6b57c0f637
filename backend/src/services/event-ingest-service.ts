import { randomUUID } from 'node:crypto';
import {
  ZIncomingEvent,
  type TIncomingEvent,
  type TIngestBatchRequest,
  type TIngestBatchResponse,
} from '@pulse/shared/ingest';
import { AppError } from '../errors/app-error.ts';
import { describeIssues } from '../errors/describe-issues.ts';
import type { KeyValueCache } from '../infra/cache/key-value-cache.ts';
import type { PubSub } from '../infra/pubsub/pubsub.ts';
import type { EventRepository, EventRow } from '../repositories/event-repository.ts';
import { browserFromUserAgent, deviceFromUserAgent } from './user-agent.ts';
import { dataVersionKey, eventsCommittedChannel } from './cache-keys.ts';

type Rejection = TIngestBatchResponse['rejected'][number];

export interface EventIngestOptions {
  maxBatchEvents: number;
}

/**
 * The rules of ingestion: each event is checked on its own (one bad event does not sink the batch),
 * stored once per messageId, and its commit announced so caches and live views move on.
 */
export class EventIngestService {
  constructor(
    private readonly events: EventRepository,
    private readonly cache: KeyValueCache,
    private readonly pubsub: PubSub,
    private readonly options: EventIngestOptions,
  ) {}

  async ingest(tenantId: number, request: TIngestBatchRequest, receivedAt = new Date()): Promise<TIngestBatchResponse> {
    if (request.batch.length > this.options.maxBatchEvents) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `the batch has ${request.batch.length.toLocaleString('en-US')} events; the limit is ` +
          `${this.options.maxBatchEvents.toLocaleString('en-US')}: split it into smaller batches`,
      );
    }
    const rows: EventRow[] = [];
    const rejected: Rejection[] = [];
    request.batch.forEach((item, index) => {
      const parsed = ZIncomingEvent.safeParse(item);
      if (parsed.success) rows.push(toEventRow(parsed.data, receivedAt));
      else rejected.push({ index, code: 'INVALID_EVENT', message: describeIssues(parsed.error) });
    });
    if (rows.length === 0) {
      const first = rejected[0];
      throw new AppError('BAD_REQUEST', `no event in the batch is valid; event ${first?.index}: ${first?.message}`);
    }

    const accepted = await this.events.insertMany(tenantId, rows);
    if (accepted > 0) await this.announceCommit(tenantId, accepted);
    return { accepted, duplicates: rows.length - accepted, rejected };
  }

  private async announceCommit(tenantId: number, accepted: number): Promise<void> {
    // The events are committed: failing to announce them must not turn the response into an error.
    // Cached answers are keyed by the data version, so bumping it retires every one of them.
    await Promise.allSettled([
      this.cache.increment(dataVersionKey(tenantId)),
      this.pubsub.publish(eventsCommittedChannel(tenantId), JSON.stringify({ tenantId, accepted })),
    ]);
  }
}

function toEventRow(event: TIncomingEvent, receivedAt: Date): EventRow {
  const context = event.context;
  const properties = event.properties ?? {};
  const sessionId = context?.sessionId ?? stringProperty(properties, 'sessionId') ?? stringProperty(properties, 'session_id');
  return {
    messageId: event.messageId ?? randomUUID(),
    type: event.type,
    name: event.event ?? event.type,
    userId: event.userId ?? null,
    anonymousId: event.anonymousId ?? null,
    sessionId: sessionId ?? null,
    path: context?.page?.path ?? stringProperty(properties, 'path') ?? null,
    referrer: context?.page?.referrer ?? null,
    device: context?.device?.type ?? deviceFromUserAgent(context?.userAgent),
    browser: browserFromUserAgent(context?.userAgent),
    country: context?.location?.country ?? null,
    properties,
    ts: event.timestamp ? new Date(event.timestamp) : receivedAt,
  };
}

function stringProperty(properties: Record<string, unknown>, key: string): string | undefined {
  const value = properties[key];
  return typeof value === 'string' ? value : undefined;
}
