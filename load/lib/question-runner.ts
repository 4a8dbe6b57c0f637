// A child process of `npm run bench:compare`: asks the benchmark's questions, uncached, of one checkout's code over
// one database, one at a time as its parent sends them, and says how long each took. It is copied into the base
// checkout, so it imports only what both sides have. Lines in: {"label", "tenantId", "range"}; lines out:
// {"ms"} or {"error"}; first out: {"ready": [labels]}.
import { createInterface } from 'node:readline';
import pg from 'pg';
import { DASHBOARD_QUESTIONS } from './dashboard-questions.ts';
import { INSIGHT_QUESTIONS } from './insight-questions.ts';
import { uncachedServices } from './uncached-services.ts';

type Range = { from: string; to: string };

const pool = new pg.Pool({ connectionString: process.argv[2], max: 8 });
const services = uncachedServices(pool);
const questions = new Map<string, (tenantId: number, range: Range) => Promise<unknown>>([
  ...DASHBOARD_QUESTIONS.map((question) => [question.label, (tenantId: number, range: Range) => question.ask(services.analytics, tenantId, range)] as const),
  ...INSIGHT_QUESTIONS.map((question) => [question.label, (tenantId: number, range: Range) => question.ask(services, tenantId, range)] as const),
]);

const reply = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
reply({ ready: [...questions.keys()] });
for await (const line of createInterface({ input: process.stdin })) {
  const { label, tenantId, range } = JSON.parse(line) as { label: string; tenantId: number; range: Range };
  const ask = questions.get(label);
  const started = performance.now();
  try {
    if (!ask) throw new Error(`no question "${label}" here`);
    await ask(tenantId, range);
    reply({ ms: performance.now() - started });
  } catch (error) {
    reply({ error: error instanceof Error ? error.message : String(error) });
  }
}
await pool.end();
