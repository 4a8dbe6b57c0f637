import { NOT_ENRICHED, type EventRow } from '../repositories/event-repository.ts';

/** A plain track event of the tenant, stored now unless `fields` say otherwise: for tests that write rows directly. */
export function eventRow(tenantId: number, messageId: string, fields: Partial<EventRow> = {}): EventRow {
  return {
    ...NOT_ENRICHED,
    tenantId,
    messageId,
    type: 'track',
    name: 'test_event',
    userId: null,
    anonymousId: null,
    sessionId: null,
    path: null,
    referrer: null,
    device: null,
    browser: null,
    country: null,
    properties: {},
    ts: new Date(),
    ...fields,
  };
}
