// `npm run dataset`: loads the benchmark dataset (DATASET_EVENTS, default 10,000,000 events over 90 days for
// two tenants) into its own database on the server DATABASE_URL names, and writes how long it took to
// docs/BENCHMARKS.md. An existing dataset of the same size is kept; DATASET_RELOAD=1 loads it again.
import pg from 'pg';
import { writeBenchmarkSection } from './lib/benchmarks-doc.ts';
import { DATASET_DATABASE, ensureDataset } from './lib/dataset.ts';
import { describeMachine } from './lib/machine.ts';

const DAYS = 90;
const TARGET_SECONDS = 300;
const events = Number(process.env.DATASET_EVENTS ?? 10_000_000);
const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

if (process.env.DATASET_RELOAD === '1') {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DATASET_DATABASE}" WITH (FORCE)`);
  await admin.end();
}
const dataset = await ensureDataset(serverUrl, events, DAYS, (message) => console.log(message));
if (dataset.loadSeconds !== null) {
  const pool = new pg.Pool({ connectionString: dataset.url, max: 1 });
  const machine = await describeMachine(pool);
  await pool.end();
  const doc = await writeBenchmarkSection(
    'dataset',
    `## Benchmark dataset — \`npm run dataset\`

Loaded ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}: **${events.toLocaleString('en-US')} events
over ${DAYS} days for two tenants in ${dataset.loadSeconds.toFixed(0)} s** (target: under ${TARGET_SECONDS} s on 2 cores —
${dataset.loadSeconds < TARGET_SECONDS ? 'met' : '**not met**'}), including the indexes, the message-id table and every rollup.
${
  dataset.valueRollupSeconds === null
    ? ''
    : `Then the value rollups of its ${DAYS * 2} tenant-days (what the service's background builder does over time, one
day after another) in ${dataset.valueRollupSeconds.toFixed(0)} s, one builder per tenant.`
}`,
  );
  console.log(`wrote ${doc}`);
}
