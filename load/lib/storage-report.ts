import type pg from 'pg';

/** Tables that grow with events, grouped by what they are for. Whatever else the database holds is "other". */
export const TABLE_FAMILIES: ReadonlyArray<{ family: string; tables: readonly string[] }> = [
  { family: 'raw events', tables: ['events'] },
  { family: 'message ids (exactly-once)', tables: ['event_message_keys'] },
  {
    family: 'counting rollups (minute, quarter-hour, hour, day, dimensions)',
    tables: ['rollup_minute', 'rollup_quarter_hour', 'rollup_hour', 'rollup_day', 'rollup_dimension_day'],
  },
  { family: 'unique visitors and sessions (ordinals, bitmaps)', tables: ['unique_ordinals', 'unique_ordinal_counters', 'unique_bitmaps'] },
  { family: 'value rollups (filtered questions)', tables: ['value_rollup_days', 'value_rollup_counts', 'value_rollup_bitmaps'] },
];

export interface RelationSize {
  name: string;
  /** Heap with its TOAST, free-space and visibility maps, summed over partitions. */
  tableBytes: number;
  indexBytes: number;
}

export interface StorageReport {
  events: number;
  tables: RelationSize[];
  /** Each index of the events table, summed over its partitions. */
  eventIndexes: Array<{ name: string; bytes: number }>;
  databaseBytes: number;
}

// A partitioned table is summed over its leaf partitions; a plain one is its own leaf. A table this layout does
// not have is left out.
const TABLE_SIZES_SQL = `
SELECT t.name, sum(pg_table_size(leaf))::float8 AS table_bytes, sum(pg_indexes_size(leaf))::float8 AS index_bytes
  FROM unnest($1::text[]) AS t(name)
  JOIN pg_class c ON c.oid = to_regclass(t.name),
       LATERAL (SELECT relid AS leaf FROM pg_partition_tree(c.oid) WHERE isleaf AND c.relkind = 'p'
                UNION ALL SELECT c.oid WHERE c.relkind <> 'p') leaves
 GROUP BY t.name`;

const EVENT_INDEX_SIZES_SQL = `
SELECT i.indexrelid::regclass::text AS name, sum(pg_relation_size(p.relid))::float8 AS bytes
  FROM pg_index i, pg_partition_tree(i.indexrelid) p
 WHERE i.indrelid = 'events'::regclass AND p.isleaf
 GROUP BY 1 ORDER BY 2 DESC`;

/** Sizes as PostgreSQL reports them on disk, by table and by index of the events table. */
export async function measureStorage(pool: pg.Pool): Promise<StorageReport> {
  const tableNames = TABLE_FAMILIES.flatMap((family) => family.tables);
  const [counted, tables, indexes, database] = await Promise.all([
    pool.query<{ count: string }>('SELECT count(*) FROM events'),
    pool.query<{ name: string; table_bytes: number; index_bytes: number }>(TABLE_SIZES_SQL, [tableNames]),
    pool.query<{ name: string; bytes: number }>(EVENT_INDEX_SIZES_SQL),
    pool.query<{ bytes: number }>('SELECT pg_database_size(current_database())::float8 AS bytes'),
  ]);
  return {
    events: Number(counted.rows[0]!.count),
    tables: tables.rows.map((row) => ({ name: row.name, tableBytes: row.table_bytes, indexBytes: row.index_bytes })),
    eventIndexes: indexes.rows,
    databaseBytes: database.rows[0]!.bytes,
  };
}

/** Bytes per event of each family (table and indexes apart), in TABLE_FAMILIES' order, and their total. */
export function bytesPerEventByFamily(report: StorageReport): { rows: Array<{ family: string; table: number; indexes: number }>; total: number } {
  const perEvent = (bytes: number) => (report.events === 0 ? 0 : bytes / report.events);
  const rows = TABLE_FAMILIES.map(({ family, tables }) => {
    const sizes = report.tables.filter((table) => tables.includes(table.name));
    return {
      family,
      table: perEvent(sizes.reduce((sum, size) => sum + size.tableBytes, 0)),
      indexes: perEvent(sizes.reduce((sum, size) => sum + size.indexBytes, 0)),
    };
  });
  return { rows, total: rows.reduce((sum, row) => sum + row.table + row.indexes, 0) };
}
