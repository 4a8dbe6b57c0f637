import { randomUUID } from 'node:crypto';
import { INGEST_LIMITS, sessionIdFrom, type TIncomingEvent } from '@pulse/shared/ingest';
import { cutToUtf8Bytes } from '@pulse/shared/text';
import type { EventRow } from '../repositories/event-repository.ts';
import { browserFromUserAgent, deviceFromUserAgent } from './user-agent.ts';

/**
 * When the event happened by the server's clock. The client's timestamp and sentAt come from the same
 * (possibly wrong) clock, so their difference is trustworthy: ts = receivedAt − (sentAt − timestamp).
 */
export function correctedTimestamp(event: TIncomingEvent, batchSentAt: string | undefined, receivedAt: Date): Date {
  const clientTimestamp = event.timestamp ?? event.originalTimestamp;
  if (!clientTimestamp) return receivedAt;
  const timestamp = Date.parse(clientTimestamp);
  const sentAt = event.sentAt ?? batchSentAt;
  if (!sentAt) return new Date(timestamp);
  return new Date(receivedAt.getTime() - (Date.parse(sentAt) - timestamp));
}

/**
 * A validated event as a row: message id assigned when absent, session, page, device and browser picked out.
 * The dimensions are cut to their documented bound (they are rollup keys); the ids were bounded by validation.
 */
export function toEventRow(event: TIncomingEvent, ts: Date): Omit<EventRow, 'tenantId'> {
  const context = event.context;
  const properties = event.traits ? { ...event.properties, traits: event.traits } : (event.properties ?? {});
  const sessionId = sessionIdFrom(event);
  return {
    messageId: event.messageId ?? randomUUID(),
    type: event.type,
    name: event.event ?? (event.type === 'page' ? 'page_view' : event.type),
    userId: event.userId ?? null,
    anonymousId: event.anonymousId ?? null,
    sessionId: sessionId ?? null,
    path: dimension(context?.page?.path ?? stringProperty(properties, 'path')),
    referrer: dimension(context?.page?.referrer ?? stringProperty(properties, 'referrer')),
    device: dimension(context?.device?.type ?? deviceFromUserAgent(context?.userAgent)),
    browser: dimension(browserFromUserAgent(context?.userAgent)),
    country: dimension(context?.location?.country),
    properties,
    ts,
  };
}

function dimension(value: string | null | undefined): string | null {
  return value == null ? null : cutToUtf8Bytes(value, INGEST_LIMITS.maxDimensionBytes);
}

function stringProperty(properties: Record<string, unknown>, key: string): string | undefined {
  const value = properties[key];
  return typeof value === 'string' ? value : undefined;
}
