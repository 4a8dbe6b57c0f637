// `npm run bench:compare -- <base git ref>`: is this checkout slower than the base anywhere? The benchmark's questions
// (bench:query's dashboard and insight questions, uncached) are asked alternately of the base checkout's code over
// BASE_DATABASE (default pulse_bench_base: the dataset in the base's layout) and of this checkout's code over the
// dataset (built or migrated first), each time the same random 30-day range of both, in random order, one at a
// time: COMPARE_ROUNDS rounds (default 30) after two unrecorded ones that warm the caches. Run one after the other,
// whole benchmarks differ by more than the changes they compare; interleaved, both sides see the same machine.
// Writes docs/BENCHMARKS.md.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { markdownTable, writeBenchmarkSection } from './lib/benchmarks-doc.ts';
import { DATASET_DATABASE, DATASET_TENANTS, ensureDataset } from './lib/dataset.ts';
import { percentile } from './lib/load-run.ts';
import { percentileRatio } from './lib/percentile-ratio.ts';
import { describeMachine } from './lib/machine.ts';

const BASE_REF = process.argv[2];
const BASE_DATABASE = process.env.BASE_DATABASE ?? 'pulse_bench_base';
const ROUNDS = Number(process.env.COMPARE_ROUNDS ?? 30);
const WARM_UP_ROUNDS = 2;
const DATASET_EVENTS = Number(process.env.DATASET_EVENTS ?? 10_000_000);
const RANGE_DAYS = 30;
const DAY_MS = 86_400_000;
/** Issue 20: no question's p95 more than 10% worse than the base's. */
const MAX_P95_RATIO = 1.1;
/** What the runner needs beside the base's own code (copied over the base's versions, which may be older). */
const RUNNER_FILES = ['load/lib/question-runner.ts', 'load/lib/uncached-services.ts', 'load/lib/dashboard-questions.ts', 'load/lib/insight-questions.ts'];

type Range = { from: string; to: string };

/** One side's runner process: asks one question at a time. */
class Runner {
  private readonly lines: AsyncIterator<string>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  }

  static async start(checkout: string, databaseUrl: string): Promise<{ runner: Runner; labels: string[] }> {
    const child = spawn(join(checkout, 'node_modules/.bin/tsx'), ['load/lib/question-runner.ts', databaseUrl], { cwd: checkout });
    const runner = new Runner(child);
    const { ready } = (await runner.next()) as { ready: string[] };
    return { runner, labels: ready };
  }

  async ask(label: string, tenantId: number, range: Range): Promise<number> {
    this.child.stdin.write(`${JSON.stringify({ label, tenantId, range })}\n`);
    const answer = (await this.next()) as { ms?: number; error?: string };
    if (answer.error !== undefined) throw new Error(`${label}: ${answer.error}`);
    return answer.ms!;
  }

  stop(): void {
    this.child.stdin.end();
    this.child.kill();
  }

  private async next(): Promise<unknown> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error('the question runner stopped');
    return JSON.parse(value);
  }
}

/** A 30-day range ending somewhere in the last 60 days, with ragged edges (as bench:query's). */
function randomRange(): Range {
  const to = Date.now() - Math.floor(Math.random() * 60 * DAY_MS);
  return { from: new Date(to - RANGE_DAYS * DAY_MS).toISOString(), to: new Date(to).toISOString() };
}

async function datasetTenant(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: number }>('SELECT id FROM tenants WHERE slug = $1', [DATASET_TENANTS[0]]);
    if (!rows[0]) throw new Error(`${databaseUrl} holds no dataset tenant`);
    return rows[0].id;
  } finally {
    await client.end();
  }
}

/** A checkout of `ref` beside this one, with this one's dependencies and the runner's files. */
async function checkoutBase(ref: string): Promise<string> {
  const directory = join(await mkdtemp(join(tmpdir(), 'pulse-compare-')), 'base');
  execFileSync('git', ['worktree', 'add', '--detach', directory, ref], { stdio: 'inherit' });
  execFileSync('cp', ['-a', 'node_modules', directory]);
  for (const file of RUNNER_FILES) await copyFile(file, join(directory, file));
  return directory;
}

async function main(): Promise<void> {
  if (!BASE_REF) throw new Error('usage: npm run bench:compare -- <base git ref> (BASE_DATABASE: its dataset, default pulse_bench_base)');
  const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const baseUrl = new URL(serverUrl);
  baseUrl.pathname = `/${BASE_DATABASE}`;
  const baseTenant = await datasetTenant(baseUrl.toString()).catch((error: unknown) => {
    throw new Error(
      `${BASE_DATABASE} is not a dataset in the base's layout (${String(error)}): copy the dataset before migrating it ` +
        `(CREATE DATABASE ${BASE_DATABASE} TEMPLATE ${DATASET_DATABASE}), or load one with the base checkout's npm run dataset`,
    );
  });
  const { url } = await ensureDataset(serverUrl, DATASET_EVENTS, 90, (message) => console.log(message));
  const headTenant = await datasetTenant(url);
  const baseCheckout = await checkoutBase(BASE_REF);
  const runners: Runner[] = [];
  try {
    const base = await Runner.start(baseCheckout, baseUrl.toString());
    runners.push(base.runner);
    const head = await Runner.start(process.cwd(), url);
    runners.push(head.runner);
    const labels = head.labels.filter((label) => base.labels.includes(label));
    const skipped = head.labels.filter((label) => !labels.includes(label));
    const times = new Map(labels.map((label) => [label, { base: [] as number[], head: [] as number[] }]));
    for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round += 1) {
      for (const label of labels) {
        const range = randomRange();
        const sides = [
          { name: 'base' as const, ask: () => base.runner.ask(label, baseTenant, range) },
          { name: 'head' as const, ask: () => head.runner.ask(label, headTenant, range) },
        ];
        if (Math.random() < 0.5) sides.reverse();
        for (const side of sides) {
          const ms = await side.ask();
          if (round >= WARM_UP_ROUNDS) times.get(label)![side.name].push(ms);
        }
      }
      if (round >= WARM_UP_ROUNDS) console.log(`round ${round - WARM_UP_ROUNDS + 1} / ${ROUNDS}`);
    }
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    let worse = 0;
    const rows = labels.map((label) => {
      const { base: baseTimes, head: headTimes } = times.get(label)!;
      const { ratio, low, high } = percentileRatio(headTimes, baseTimes, 95);
      // Worse only when the whole interval is past the limit: a p95 ratio alone moves by 15% between identical sides.
      if (low > MAX_P95_RATIO) worse += 1;
      return [
        label,
        fmt(percentile(baseTimes, 50)),
        fmt(percentile(headTimes, 50)),
        fmt(percentile(baseTimes, 95)),
        fmt(percentile(headTimes, 95)),
        `${ratio.toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)})${low > MAX_P95_RATIO ? ' **worse**' : ''}`,
      ];
    });
    for (const row of rows) console.log(row.join(' | '));
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const machine = await describeMachine(pool).finally(() => pool.end());
    const headCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
    const uncommitted = execFileSync('git', ['status', '--porcelain', '--untracked-files=no']).toString().trim() !== '';
    const headName = uncommitted ? `the working tree (changes on ${headCommit})` : `commit ${headCommit}`;
    const baseCommit = execFileSync('git', ['rev-parse', '--short', BASE_REF]).toString().trim();
    const doc = await writeBenchmarkSection(
      'bench:compare',
      `## Against an earlier layout — \`npm run bench:compare -- ${BASE_REF}\`

Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}. The questions of bench:query, uncached, asked
alternately of commit ${baseCommit} (base: its code over \`${BASE_DATABASE}\`, the dataset in its layout) and of ${headName}
(head: over \`${DATASET_DATABASE}\`), the same random ${RANGE_DAYS}-day range on both sides in random order, ${ROUNDS} rounds
after ${WARM_UP_ROUNDS} unrecorded ones.

${markdownTable(['question', 'base p50', 'head p50', 'base p95', 'head p95', 'p95 head ÷ base (90% interval)'], rows)}

- The interval is a bootstrap of both sides' runs: a p95 of ${ROUNDS} runs is their second or third slowest, so one slow
  run moves it, and a ratio counts as worse only when its whole interval is past the limit.
- Target (issue 20): no question's p95 more than ${Math.round((MAX_P95_RATIO - 1) * 100)}% worse than the base's — ${worse === 0 ? 'met' : `**not met** (${worse})`}.${
        skipped.length > 0 ? `\n- Not asked of the base, which has no such question: ${skipped.join('; ')}.` : ''
      }`,
    );
    console.log(`wrote ${doc}`);
  } finally {
    for (const runner of runners) runner.stop();
    execFileSync('git', ['worktree', 'remove', '--force', baseCheckout]);
    await rm(join(baseCheckout, '..'), { recursive: true, force: true });
  }
}

await main();
