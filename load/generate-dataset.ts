// `npm run dataset`: loads the benchmark dataset (DATASET_EVENTS, default 10,000,000 events over 90 days for
// two tenants) into its own database on the server DATABASE_URL names, and reports how long it took.
import { ensureDataset } from './lib/dataset.ts';

const events = Number(process.env.DATASET_EVENTS ?? 10_000_000);
const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
await ensureDataset(serverUrl, events, 90, (message) => console.log(message));
