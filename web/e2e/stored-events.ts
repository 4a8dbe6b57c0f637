import type pg from 'pg';

/** A visitor's Chrome, for browser contexts: headless Chromium says "HeadlessChrome", which Pulse counts as a bot. */
export const VISITOR_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** An event as stored, with what the SDK tests check. */
export interface StoredEvent {
  message_id: string;
  type: string;
  name: string;
  user_id: string | null;
  anonymous_id: string | null;
  session_id: string | null;
  browser: string | null;
  os: string | null;
  is_bot: boolean;
  properties: Record<string, unknown>;
}

/** The tenant's events in the order they happened. */
export async function storedEvents(pool: pg.Pool, tenantId: number): Promise<StoredEvent[]> {
  const { rows } = await pool.query<StoredEvent>(
    'SELECT message_id, type, name, user_id, anonymous_id, session_id, browser, os, is_bot, properties FROM events WHERE tenant_id = $1 ORDER BY ts, id',
    [tenantId],
  );
  return rows;
}
