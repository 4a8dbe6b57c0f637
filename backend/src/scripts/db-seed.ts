// `npm run db:seed`: demo tenants, API keys and 10,000 events over the last 30 days (skipped if present).
import { resolve } from 'node:path';
import { REPO_ROOT, loadConfig } from '../config.ts';
import { startRuntime } from '../runtime.ts';
import { seededKeysReport } from '../seeded-keys-report.ts';
import { DEFAULT_SEED } from '../services/demo-data-service.ts';

const config = loadConfig();
const runtime = await startRuntime({ ...config, DATA_DIR: resolve(REPO_ROOT, config.DATA_DIR) });
try {
  const result = await runtime.services.demoData.seed({ ...DEFAULT_SEED, now: new Date() });
  if (!result.created) console.log('The demo tenants already exist; nothing was written.');
  else console.log(seededKeysReport(result));
} finally {
  await runtime.close();
}
