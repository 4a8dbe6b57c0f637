import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../config.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../test/scratch-database.ts';
import { migrate } from './migrator.ts';

// Checks over the live schema (every migration applied) that the tables would distribute by tenant on a
// distributed PostgreSQL such as Citus (docs/ARCHITECTURE.md, "Beyond one PostgreSQL"): every table is classed
// below, and each distributed table has the tenant in every primary and unique key and no foreign key to another
// distributed table that leaves the tenant out.

/** Tables that grow with events or with a tenant's own work: distributed by tenant_id. */
const DISTRIBUTED = [
  'events',
  'event_message_keys',
  'rollup_minute',
  'rollup_quarter_hour',
  'rollup_hour',
  'rollup_day',
  'rollup_dimension_day',
  'unique_ordinals',
  'unique_ordinal_counters',
  'unique_bitmaps',
  'value_rollup_days',
  'value_rollup_counts',
  'value_rollup_bitmaps',
  'event_quota_usage',
  'audit_entries',
  'goals',
  'boards',
  'alert_webhooks',
  'alert_rules',
  'alert_evaluations',
  'webhook_deliveries',
  'webhook_attempts',
];

/** Small tables read across tenants (by a key's hash, a session token, a person): reference tables, copied to every node. */
const REFERENCE = [
  'tenants',
  'api_keys',
  'users',
  'memberships',
  'invitations',
  'sign_in_links',
  'dashboard_sessions',
  'dashboard_session_keys',
  'visitor_salts',
  '_prisma_migrations',
];

/** Tables that must be distributed because they grow with every event stored. */
const GROWS_WITH_EVENTS = [
  'events',
  'event_message_keys',
  'rollup_quarter_hour',
  'unique_ordinals',
  'unique_bitmaps',
  'value_rollup_counts',
  'value_rollup_bitmaps',
];

let database: ScratchDatabase;

beforeAll(async () => {
  database = await createScratchDatabase();
  await migrate(database.pool);
});

afterAll(async () => {
  await database.drop();
});

interface Constraint {
  table: string;
  name: string;
  type: 'p' | 'u' | 'f';
  columns: string[];
  referencedTable: string | null;
  referencedColumns: string[] | null;
}

/** Primary, unique and foreign keys of the public schema's top-level tables (partitions inherit their parent's). */
async function constraints(): Promise<Constraint[]> {
  const { rows } = await database.pool.query<Constraint>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.contype AS type,
            ARRAY(SELECT attname FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k)::text[] AS columns,
            c.confrelid::regclass::text AS "referencedTable",
            ARRAY(SELECT attname FROM unnest(c.confkey) k JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k)::text[] AS "referencedColumns"
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE c.contype IN ('p', 'u', 'f') AND t.relnamespace = 'public'::regnamespace AND NOT t.relispartition`,
  );
  return rows.map((row) => ({ ...row, referencedTable: row.type === 'f' ? row.referencedTable : null }));
}

/** Unique indexes that are not constraints count as unique keys too. */
async function uniqueIndexes(): Promise<Array<{ table: string; name: string; columns: string[] }>> {
  const { rows } = await database.pool.query<{ table: string; name: string; columns: string[] }>(
    `SELECT i.indrelid::regclass::text AS table, i.indexrelid::regclass::text AS name,
            ARRAY(SELECT attname FROM unnest(i.indkey::int2[]) k JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k)::text[] AS columns
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
      WHERE i.indisunique AND t.relnamespace = 'public'::regnamespace AND NOT t.relispartition`,
  );
  return rows;
}

describe('the schema is ready to be distributed by tenant', () => {
  it('classes every table as distributed by tenant or as a reference table', async () => {
    const { rows } = await database.pool.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class
        WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY 1`,
    );
    const unclassed = rows.map((row) => row.name).filter((name) => !DISTRIBUTED.includes(name) && !REFERENCE.includes(name));
    expect(unclassed, 'a new table must be classed here and in docs/ARCHITECTURE.md').toEqual([]);
    expect(GROWS_WITH_EVENTS.filter((name) => !DISTRIBUTED.includes(name))).toEqual([]);
  });

  it('keeps the tenant in every primary and unique key of a distributed table', async () => {
    const keys = [
      ...(await constraints()).filter((constraint) => constraint.type !== 'f'),
      ...(await uniqueIndexes()).map((index) => ({ ...index, type: 'u' as const })),
    ];
    const distributedKeys = keys.filter((key) => DISTRIBUTED.includes(key.table));
    expect(distributedKeys.filter((key) => key.type === 'p').map((key) => key.table)).toEqual(expect.arrayContaining(DISTRIBUTED));
    const withoutTenant = distributedKeys.filter((key) => !key.columns.includes('tenant_id')).map((key) => `${key.table}.${key.name}`);
    expect(withoutTenant).toEqual([]);
  });

  it('has no foreign key between distributed tables that leaves the tenant out', async () => {
    const foreignKeys = (await constraints()).filter((constraint) => constraint.type === 'f' && DISTRIBUTED.includes(constraint.table));
    const acrossTenants = foreignKeys
      .filter((key) => DISTRIBUTED.includes(key.referencedTable!))
      .filter((key) => {
        const position = key.columns.indexOf('tenant_id');
        return position === -1 || key.referencedColumns![position] !== 'tenant_id';
      })
      .map((key) => `${key.table}.${key.name}`);
    expect(acrossTenants).toEqual([]);
    // Foreign keys from distributed tables may only point at tenants (a reference table), never at a key-less lookup.
    const targets = new Set(foreignKeys.filter((key) => !DISTRIBUTED.includes(key.referencedTable!)).map((key) => key.referencedTable));
    expect([...targets].filter((table) => !REFERENCE.includes(table!))).toEqual([]);
  });

  it('is described in docs/ARCHITECTURE.md, table by table', async () => {
    const architecture = await readFile(join(REPO_ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
    const section = architecture.slice(architecture.indexOf('## Beyond one PostgreSQL'));
    expect(section.startsWith('## Beyond one PostgreSQL')).toBe(true);
    const body = section.slice(0, section.indexOf('\n## ', 1) === -1 ? undefined : section.indexOf('\n## ', 1));
    const missing = [...DISTRIBUTED, ...REFERENCE.filter((name) => name !== '_prisma_migrations')].filter((name) => !body.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
