// What PostgreSQL alone takes of the ingest benchmark's rows, three ways, to set Pulse's rate beside: COPY into a
// plain table (the floor of any write path), INSERT … SELECT FROM unnest into a plain table (Pulse's way of
// sending a flush, without the rest), and the same unnest into the partitioned events table with its indexes
// (no message keys, no rollups). One writer each, RAW_ROWS_PER_STATEMENT rows per statement, the same rows.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EventRow } from '@pulse/backend/repositories/event-repository';
import { RAW_ROWS_PER_STATEMENT, rawRow } from './ingest-workload.ts';

const COLUMNS = [
  'tenant_id',
  'message_id',
  'type',
  'name',
  'user_id',
  'anonymous_id',
  'session_id',
  'path',
  'referrer',
  'device',
  'browser',
  'country',
  'os',
  'referrer_source',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'is_bot',
  'properties',
  'ts',
] as const;

const PLAIN_TABLE = 'bench_plain_events';

const valuesOf = (row: EventRow) => [
  row.tenantId,
  row.messageId,
  row.type,
  row.name,
  row.userId,
  row.anonymousId,
  row.sessionId,
  row.path,
  row.referrer,
  row.device,
  row.browser,
  row.country,
  row.os,
  row.referrerSource,
  row.utmSource,
  row.utmMedium,
  row.utmCampaign,
  row.isBot,
  JSON.stringify(row.properties),
  row.ts.toISOString(),
];

/** COPY's text format: tab-separated, \N for null, backslash escapes. */
function copyLine(row: EventRow): string {
  const escape = (value: unknown) =>
    value === null ? '\\N' : String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  return `${valuesOf(row).map(escape).join('\t')}\n`;
}

/** Every column is text but these. */
const NON_TEXT_TYPES: Partial<Record<(typeof COLUMNS)[number], string>> = { tenant_id: 'int', is_bot: 'bool', properties: 'jsonb', ts: 'timestamptz' };

function unnestSql(table: string): string {
  const arrays = COLUMNS.map((column, i) => `$${i + 1}::${NON_TEXT_TYPES[column] ?? 'text'}[]`);
  return `INSERT INTO ${table} (${COLUMNS.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')})`;
}

function unnestParameters(rows: readonly EventRow[]): unknown[][] {
  const values = rows.map(valuesOf);
  return COLUMNS.map((_, column) => values.map((row) => row[column]));
}

export interface RawLimits {
  copyPlain: number;
  unnestPlain: number;
  unnestEvents: number;
}

/** Events/s of each raw way for `seconds`, one after the other on one connection of `pool`. */
export async function measureRawLimits(pool: pg.Pool, tenantId: number, seconds: number): Promise<RawLimits> {
  await pool.query(`DROP TABLE IF EXISTS ${PLAIN_TABLE}; CREATE TABLE ${PLAIN_TABLE} (LIKE events INCLUDING DEFAULTS)`);
  const client = await pool.connect();
  try {
    const rate = async (write: (rows: EventRow[]) => Promise<unknown>) => {
      const deadline = Date.now() + seconds * 1_000;
      let written = 0;
      while (Date.now() < deadline) {
        const rows = Array.from({ length: RAW_ROWS_PER_STATEMENT }, (_, i) => rawRow(tenantId, i));
        await write(rows);
        written += rows.length;
      }
      return written / seconds;
    };
    const copyPlain = await rate((rows) =>
      pipeline(Readable.from([rows.map(copyLine).join('')]), client.query(copyFrom(`COPY ${PLAIN_TABLE} (${COLUMNS.join(', ')}) FROM STDIN`))),
    );
    const unnestPlain = await rate((rows) => client.query(unnestSql(PLAIN_TABLE), unnestParameters(rows)));
    const unnestEvents = await rate((rows) => client.query(unnestSql('events'), unnestParameters(rows)));
    return { copyPlain, unnestPlain, unnestEvents };
  } finally {
    client.release();
    await pool.query(`DROP TABLE IF EXISTS ${PLAIN_TABLE}`);
  }
}
