import { z } from 'zod';
import { unstorableTextIn } from './text.ts';

/** Limits of Segment's own API, so existing SDKs (which batch to the same limits) work unchanged. */
export const INGEST_LIMITS = {
  maxEventBytes: 32 * 1024,
  maxRequestBytes: 500 * 1024,
  defaultMaxBatchEvents: 1000,
  maxPropertyKeyLength: 200,
  maxPropertyStringLength: 8 * 1024,
  maxPropertyDepth: 5,
  /** How far ahead of the server's clock an event may be, after skew correction. */
  maxFutureMs: 24 * 60 * 60 * 1000,
  /** Ids (user, anonymous, session, event name) in characters: they are index keys, whole or not at all. */
  maxIdLength: 200,
  /**
   * Page path, referrer, device, browser and country are kept to their first this-many bytes (UTF-8) in the
   * event's columns and the rollups, where they are index keys; properties keep whole values.
   */
  maxDimensionBytes: 1024,
} as const;

/**
 * The session an event belongs to: `context.sessionId`, else a string `sessionId` or `session_id` property.
 * Validation and storage both use this, so what validation allows is what storage receives.
 */
export function sessionIdFrom(event: { context?: { sessionId?: string }; properties?: Record<string, unknown> }): string | undefined {
  if (event.context?.sessionId !== undefined) return event.context.sessionId;
  for (const key of ['sessionId', 'session_id']) {
    const value = event.properties?.[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

export const DEFAULT_MAX_BATCH_EVENTS = INGEST_LIMITS.defaultMaxBatchEvents;

/** Characters as Zod counts them, Unicode code points (an emoji is one, though two UTF-16 units). */
function characters(text: string): number {
  if (text.length <= 1) return text.length;
  let count = 0;
  for (const _character of text) count += 1;
  return count;
}

/** Whether `text` has more than `max` characters (counted only when its UTF-16 length says it might). */
const longerThan = (text: string, max: number) => text.length > max && characters(text) > max;

/** Keys that would reach Object.prototype in careless consumers; refused wherever they appear. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Reasons an event is rejected, in `rejected[].code`. */
export const ZRejectionCode = z
  .enum(['INVALID_EVENT', 'EVENT_TOO_LARGE', 'FUTURE_TIMESTAMP', 'TOO_OLD', 'UNSTORABLE', 'QUOTA_EXCEEDED'])
  .describe(
    "UNSTORABLE: valid, but PostgreSQL refused it (the message says why); the rest of the batch is stored. QUOTA_EXCEEDED: the tenant's monthly event quota ran out within this batch (the message says when it resets).",
  );
export type TRejectionCode = z.infer<typeof ZRejectionCode>;

/** How deep a whole event may nest: properties, traits and context at level 2 may nest `maxPropertyDepth` more. */
export const MAX_EVENT_DEPTH = INGEST_LIMITS.maxPropertyDepth + 2;

/**
 * Whether a JSON value nests deeper than `maxDepth` levels of arrays and objects. Walked with a stack of its
 * own rather than by recursion, so no nesting can exhaust the call stack (JSON.parse takes any depth).
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth > maxDepth) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

/** Problems in a JSON value: forbidden keys, over-long keys or strings, nesting past the limit. */
export function jsonValueProblems(value: unknown, path: string, depth = 1): string[] {
  if (typeof value === 'string') {
    return longerThan(value, INGEST_LIMITS.maxPropertyStringLength)
      ? [`${path}: a string may have at most ${INGEST_LIMITS.maxPropertyStringLength} characters`]
      : [];
  }
  if (value === null || typeof value !== 'object') return [];
  if (depth > INGEST_LIMITS.maxPropertyDepth) {
    return [`${path}: nested deeper than ${INGEST_LIMITS.maxPropertyDepth} levels`];
  }
  const problems: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(key)) problems.push(`${path}: the key "${key}" is not allowed`);
    else if (longerThan(key, INGEST_LIMITS.maxPropertyKeyLength)) {
      problems.push(`${path}: keys may have at most ${INGEST_LIMITS.maxPropertyKeyLength} characters`);
    } else problems.push(...jsonValueProblems(child, `${path}.${key}`, depth + 1));
  }
  return problems;
}

const ZShortText = z.string().min(1).max(INGEST_LIMITS.maxIdLength);
const ZJsonObject = z.record(z.string(), z.json());
const ZTimestamp = z.iso.datetime({ offset: true });

/**
 * An id as browsers send it: Segment's SDK sends `"userId": null` and RudderStack's `"userId": ""` for an
 * anonymous visitor (both mean "none"), and numbers where ids are expected are taken as their text.
 */
const ZLooseId = (max: number = INGEST_LIMITS.maxIdLength) =>
  z.preprocess(
    (value) => (value === null || value === '' ? undefined : typeof value === 'number' && Number.isFinite(value) ? String(value) : value),
    z.string().min(1).max(max).optional(),
  );

/** Segment's six call types: https://segment.com/docs/connections/spec/ */
export const EVENT_TYPES = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const;

const ZEventShape = z
  .object({
    type: z.enum(EVENT_TYPES).default('track').describe('Segment call type.'),
    event: ZShortText.optional().describe('Event name, required for track calls, e.g. "purchase".'),
    name: ZShortText.optional().describe('Page or screen name of page and screen calls.'),
    category: ZShortText.optional().describe('Page category of page calls.'),
    messageId: ZLooseId(100).describe('Client id for de-duplication; assigned when absent.'),
    userId: ZLooseId().describe('null or "" means an anonymous visitor.'),
    anonymousId: ZLooseId().describe('With no userId nor anonymousId, a cookieless visitor id is derived (see README).'),
    groupId: ZLooseId().describe('The group of group calls.'),
    previousId: ZLooseId().describe('The former id of alias calls.'),
    timestamp: ZTimestamp.optional().describe('When the event happened, by the client clock; defaults to now.'),
    originalTimestamp: ZTimestamp.optional().describe("RudderStack's name for timestamp; used when timestamp is absent."),
    sentAt: ZTimestamp.optional().describe('When the client sent it, by the same clock; corrects clock skew.'),
    context: z
      .object({
        page: z
          .object({
            path: z.string().max(2048).optional(),
            url: z.string().max(2048).optional(),
            referrer: z.string().max(2048).optional(),
            search: z.string().max(2048).optional(),
            title: z.string().max(500).optional(),
          })
          .optional(),
        userAgent: z.string().max(1024).optional(),
        locale: z.string().max(35).optional(),
        ip: z.string().max(64).optional(),
        sessionId: ZLooseId().describe("RudderStack's session tracking sends a number (its start, in ms)."),
        device: z.object({ type: ZShortText.optional() }).optional(),
        location: z.object({ country: ZShortText.optional() }).optional(),
        campaign: z
          .object({ source: z.string().max(2048).optional(), medium: z.string().max(2048).optional(), name: z.string().max(2048).optional() })
          .optional()
          .describe('UTM fields, as the browser SDKs parse them from the page URL.'),
      })
      .optional(),
    properties: ZJsonObject.optional(),
    traits: ZJsonObject.optional().describe('User traits of identify calls (group traits of group calls); stored with the properties.'),
  })
  .superRefine((event, ctx) => {
    const required = { track: ['event', 'an "event" name'], group: ['groupId', 'a "groupId"'], alias: ['previousId', 'a "previousId"'] } as const;
    const rule = required[event.type as keyof typeof required];
    if (rule && event[rule[0]] === undefined) {
      ctx.addIssue({ code: 'custom', message: `a ${event.type} event needs ${rule[1]}`, path: [rule[0]] });
    }
    const sessionId = sessionIdFrom(event);
    if (sessionId !== undefined && (sessionId.length === 0 || longerThan(sessionId, INGEST_LIMITS.maxIdLength))) {
      const message = `a session id (context.sessionId, else properties.sessionId or session_id) must have 1 to ${INGEST_LIMITS.maxIdLength} characters`;
      ctx.addIssue({ code: 'custom', message, path: ['properties', 'sessionId'] });
    }
  });

/**
 * One event in Segment's envelope. Unknown fields (integrations, _metadata, …) are accepted and dropped.
 * Keys and nesting are checked on the raw JSON, before parsing could silently drop a "__proto__" key.
 */
export const ZIncomingEvent = z
  .unknown()
  .superRefine((raw, ctx) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return;
    const unstorable = unstorableTextIn(raw);
    if (unstorable) ctx.addIssue({ code: 'custom', message: unstorable });
    const problems = Object.entries(raw).flatMap(([key, value]) =>
      FORBIDDEN_KEYS.has(key) ? [`the key "${key}" is not allowed`] : ['properties', 'traits', 'context'].includes(key) ? jsonValueProblems(value, key) : [],
    );
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
  })
  .pipe(ZEventShape);
export type TIncomingEvent = z.infer<typeof ZIncomingEvent>;

/**
 * A batch as Segment's /v1/batch sends it. Items are checked one by one by the server so that one bad
 * event does not sink the others, and the server applies its configured size limit (413 past it).
 */
export const ZIngestBatchRequest = z.object({
  batch: z.array(z.unknown()).min(1, 'the batch is empty'),
  sentAt: ZTimestamp.optional().describe('Batch-level sentAt, used for events that carry none.'),
});
export type TIngestBatchRequest = z.infer<typeof ZIngestBatchRequest>;

export const ZRejectedEvent = z.object({
  index: z.number().int().describe('Position of the event in the batch.'),
  code: ZRejectionCode,
  message: z.string(),
});

export const ZIngestBatchResponse = z.object({
  accepted: z.number().int().describe('Events stored by this request.'),
  duplicates: z.number().int().describe('Events whose messageId was already stored; not stored again.'),
  queued: z
    .number()
    .int()
    .optional()
    .describe('Present when the database was unavailable: events kept in the durable spool, stored (duplicates dropped) once it is back.'),
  rejected: z.array(ZRejectedEvent),
});
export type TIngestBatchResponse = z.infer<typeof ZIngestBatchResponse>;
