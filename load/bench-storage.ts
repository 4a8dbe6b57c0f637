// `npm run bench:storage`: bytes per event by table family (table and indexes apart) for the benchmark dataset
// (built first if missing; DATASET_EVENTS, default 10,000,000), and each index of the events table. Writes
// docs/BENCHMARKS.md. Sizes are what PostgreSQL reports on disk after the load's VACUUM.
import pg from 'pg';
import { markdownTable, writeBenchmarkSection } from './lib/benchmarks-doc.ts';
import { ensureDataset } from './lib/dataset.ts';
import { describeMachine } from './lib/machine.ts';
import { bytesPerEventByFamily, measureStorage } from './lib/storage-report.ts';

const DATASET_EVENTS = Number(process.env.DATASET_EVENTS ?? 10_000_000);
const TARGET_BYTES_PER_EVENT = 250;

const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const { url } = await ensureDataset(serverUrl, DATASET_EVENTS, 90, (message) => console.log(message));
const pool = new pg.Pool({ connectionString: url, max: 4 });
try {
  const machine = await describeMachine(pool);
  const report = await measureStorage(pool);
  const { rows, total } = bytesPerEventByFamily(report);
  const bytes = (n: number) => n.toFixed(1);
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
  for (const row of rows) console.log(`${row.family}: ${bytes(row.table)} + ${bytes(row.indexes)} bytes/event`);
  console.log(`total: ${bytes(total)} bytes/event (target ≤ ${TARGET_BYTES_PER_EVENT})`);
  const doc = await writeBenchmarkSection(
    'bench:storage',
    `## Storage per event — \`npm run bench:storage\`

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}, over the benchmark dataset
(${report.events.toLocaleString('en-US')} events, \`npm run dataset\`), after its VACUUM: sizes on disk as PostgreSQL
reports them (heap with TOAST and maps; indexes apart), divided by the number of events.

${markdownTable(
  ['table family', 'table bytes/event', 'index bytes/event', 'total bytes/event'],
  [...rows.map((row) => [row.family, bytes(row.table), bytes(row.indexes), bytes(row.table + row.indexes)]), ['**all**', '', '', `**${bytes(total)}**`]],
)}

Indexes of the events table (all partitions):

${markdownTable(
  ['index', 'size', 'bytes/event'],
  report.eventIndexes.map((index) => [`\`${index.name}\``, mb(index.bytes), bytes(index.bytes / report.events)]),
)}

- The whole database: ${mb(report.databaseBytes)} (${bytes(report.databaseBytes / report.events)} bytes/event, with the catalog and the
  small tables: tenants, keys, goals…).
- Target (issue 20): ≤ ${TARGET_BYTES_PER_EVENT} bytes per event in all, indexes included — ${total <= TARGET_BYTES_PER_EVENT ? 'met' : '**not met**'}.`,
  );
  console.log(`wrote ${doc}`);
} finally {
  await pool.end();
}
