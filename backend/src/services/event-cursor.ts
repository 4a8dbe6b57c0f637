import { AppError } from '../errors/app-error.ts';

/** Where a page of events, newest first, ended: the next page holds events strictly older than this (ts, id). */
export interface EventPagePosition {
  ts: Date;
  id: bigint;
}

/** An opaque cursor for the page after `position`. */
export function encodeEventCursor(position: EventPagePosition): string {
  return Buffer.from(`${position.ts.toISOString()}|${position.id}`).toString('base64url');
}

const MAX_EVENT_ID = 2n ** 63n - 1n;

/** Exactly what encodeEventCursor writes: a forged one could hold a date or an id PostgreSQL's types cannot take. */
export function decodeEventCursor(cursor: string): EventPagePosition {
  const [ts = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const isOurs =
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(ts) &&
    !Number.isNaN(Date.parse(ts)) &&
    new Date(ts).toISOString() === ts &&
    /^\d{1,19}$/.test(id) &&
    BigInt(id) <= MAX_EVENT_ID;
  if (!isOurs) throw new AppError('BAD_REQUEST', 'the cursor is not one this server handed out; start again without a cursor');
  return { ts: new Date(ts), id: BigInt(id) };
}
