import { randomUUID } from 'node:crypto';
import { INGEST_LIMITS, sessionIdFrom, type TIncomingEvent } from '@pulse/shared/ingest';
import { cutToUtf8Bytes } from '@pulse/shared/text';
import type { EventRow } from '../repositories/event-repository.ts';
import { campaignOf } from './enrichment/campaign.ts';
import { sharedCountryLookup } from './enrichment/country.ts';
import { referrerSource } from './enrichment/referrer-source.ts';
import { describeUserAgent } from './enrichment/user-agent.ts';

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

/** What the request says of whoever sent it, beyond the events themselves. */
export interface SenderFacts {
  /** The client's address (a trusted proxy's X-Forwarded-For with TRUST_PROXY, else the connection's). */
  clientAddress: string | null;
  /**
   * The User-Agent header, only when a browser sent the request: a server's own ("node", "curl") says nothing of
   * the visitor and would be counted as a bot.
   */
  browserUserAgent: string | null;
  /** RudderStack's `AnonymousId` header (base64 in the wire, decoded here). */
  anonymousId: string | null;
}

export const NO_SENDER_FACTS: SenderFacts = { clientAddress: null, browserUserAgent: null, anonymousId: null };

/** What every event of one request shares, worked out once per request rather than once per event. */
export interface RequestOrigin {
  sender: SenderFacts;
  /** The country of the client's address (null without one, or for a private one). */
  addressCountry: string | null;
  /** The visitor id of an event that carries none, from its user agent; absent when none can be derived. */
  cookielessId?: (userAgent: string) => string;
}

export function requestOrigin(sender: SenderFacts, cookielessId?: (userAgent: string) => string): RequestOrigin {
  return { sender, addressCountry: countryOf(sender.clientAddress), cookielessId };
}

/** Names stored for the call types that carry no event name of their own. */
const NAME_OF_TYPE: Record<string, string> = { page: 'page_view', screen: 'screen_view' };

/**
 * A validated event as a row: message id assigned when absent, visitor, session, page, device and browser picked
 * out, and what the server adds (country from the address, browser/OS/device/bot from the user agent, the
 * referring site and UTM campaign from the page). The dimensions are cut to their documented bound (they are
 * rollup keys); the ids were bounded by validation.
 */
export function toEventRow(event: TIncomingEvent, ts: Date, origin: RequestOrigin = requestOrigin(NO_SENDER_FACTS)): Omit<EventRow, 'tenantId'> {
  const { sender, cookielessId } = origin;
  const context = event.context;
  const userAgent = context?.userAgent ?? sender.browserUserAgent ?? undefined;
  const agent = describeUserAgent(userAgent);
  const campaign = campaignOf(context);
  const referrer = context?.page?.referrer ?? stringProperty(event.properties, 'referrer');
  const anonymousId = event.anonymousId ?? sender.anonymousId ?? (event.userId === undefined && cookielessId ? cookielessId(userAgent ?? '') : undefined);
  return {
    messageId: event.messageId ?? randomUUID(),
    type: event.type,
    name: event.event ?? NAME_OF_TYPE[event.type] ?? event.type,
    userId: event.userId ?? null,
    anonymousId: anonymousId ?? null,
    sessionId: sessionIdFrom(event) ?? null,
    path: dimension(context?.page?.path ?? stringProperty(event.properties, 'path')),
    referrer: dimension(referrer),
    // A crawler only imitates a platform: it has no device, whatever its SDK says.
    device: dimension(agent.bot ? null : (context?.device?.type ?? agent.device)),
    browser: dimension(agent.browser),
    os: dimension(agent.os),
    country: dimension(context?.location?.country ?? countryOf(context?.ip) ?? origin.addressCountry),
    referrerSource: dimension(referrerSource(referrer, context?.page?.url)),
    utmSource: dimension(campaign.source),
    utmMedium: dimension(campaign.medium),
    utmCampaign: dimension(campaign.campaign),
    isBot: agent.bot !== null,
    properties: propertiesOf(event),
    ts,
  };
}

/**
 * The event's properties, with what its type carries beside them: identify traits, a group's id and traits, an
 * alias's former id, a page's or screen's name and category (unless the properties say otherwise).
 */
function propertiesOf(event: TIncomingEvent): Record<string, unknown> {
  const properties: Record<string, unknown> = { ...event.properties };
  if (event.type === 'page' || event.type === 'screen') {
    if (event.name !== undefined) properties.name ??= event.name;
    if (event.category !== undefined) properties.category ??= event.category;
  }
  if (event.groupId !== undefined) properties.groupId = event.groupId;
  if (event.previousId !== undefined) properties.previousId = event.previousId;
  if (event.traits) properties.traits = event.traits;
  return properties;
}

function countryOf(address: string | null | undefined): string | null {
  return address ? sharedCountryLookup().countryOf(address) : null;
}

function dimension(value: string | null | undefined): string | null {
  return value == null ? null : cutToUtf8Bytes(value, INGEST_LIMITS.maxDimensionBytes);
}

function stringProperty(properties: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = properties?.[key];
  return typeof value === 'string' ? value : undefined;
}
