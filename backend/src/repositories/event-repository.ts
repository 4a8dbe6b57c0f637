import type pg from 'pg';

/** An event ready to store: validated, normalised, with its message id and corrected timestamp. */
export interface EventRow {
  messageId: string;
  type: string;
  name: string;
  userId: string | null;
  anonymousId: string | null;
  sessionId: string | null;
  path: string | null;
  referrer: string | null;
  device: string | null;
  browser: string | null;
  country: string | null;
  properties: Record<string, unknown>;
  ts: Date;
}

const COLUMNS = [
  'message_id', 'type', 'name', 'user_id', 'anonymous_id', 'session_id',
  'path', 'referrer', 'device', 'browser', 'country', 'properties', 'ts',
] as const;

// One statement for the whole batch: arrays in, unnest into rows. Far faster than row-by-row INSERTs,
// and ON CONFLICT makes a retried message a no-op (exactly-once effect).
const INSERT_EVENTS_SQL = `
INSERT INTO events (tenant_id, ${COLUMNS.join(', ')})
SELECT $1, * FROM unnest(
  $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
  $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::jsonb[], $14::timestamptz[]
)
ON CONFLICT (tenant_id, message_id) DO NOTHING`;

/** Hot-path SQL for raw events (plain pg, not Prisma: one round trip per batch). */
export class EventRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Stores the rows that are new; returns how many were inserted (the rest were duplicates). */
  async insertMany(tenantId: number, rows: readonly EventRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const result = await this.pool.query(INSERT_EVENTS_SQL, [
      tenantId,
      rows.map((row) => row.messageId),
      rows.map((row) => row.type),
      rows.map((row) => row.name),
      rows.map((row) => row.userId),
      rows.map((row) => row.anonymousId),
      rows.map((row) => row.sessionId),
      rows.map((row) => row.path),
      rows.map((row) => row.referrer),
      rows.map((row) => row.device),
      rows.map((row) => row.browser),
      rows.map((row) => row.country),
      rows.map((row) => JSON.stringify(row.properties)),
      rows.map((row) => row.ts.toISOString()),
    ]);
    return result.rowCount ?? 0;
  }
}
