// npm run demo -- --scenario <name> | --all [--short] [--knob name=value]… [--url URL] [--key ADMIN_KEY]
// Runs the high-load demo's scenarios headless against a running server, the same runs the demo page starts,
// and prints each verdict. Exits 1 unless every verdict passed.
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { openSse } from '../backend/src/infra/sse/sse-reader.ts';
import {
  SCENARIOS,
  ZScenarioEvent,
  ZScenarioName,
  ZScenarioRun,
  ZScenarioStatus,
  resolveKnobs,
  type TScenarioKnobValues,
  type TScenarioName,
  type TScenarioVerdict,
} from '../shared/src/scenarios.ts';

const USAGE = `usage: npm run demo -- --scenario <name> | --all [--short] [--knob name=value]… [--url URL] [--key ADMIN_KEY]
  scenarios: ${ZScenarioName.options.join(', ')}
  --short   each scenario's short settings (seconds rather than minutes; what CI runs)
  --url     the server (default $PULSE_URL, else http://127.0.0.1:$PORT, PORT 3001 as the server's); it needs
            FAULT_INJECTION=true
  --key     an admin API key (default $PULSE_ADMIN_KEY); ./start.sh prints the demo tenant's on every start`;

/** A stream quiet for this long is reconnected (the server pings every 10 s). */
const QUIET_MS = 25_000;
/** How long a start refused with 503 (an overloaded instance) is retried, as its Retry-After says. */
const START_RETRY_LIMIT_MS = 120_000;

class CallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseKnob(text: string): [string, number | string] {
  const [name, value] = text.split('=', 2);
  if (!name || value === undefined) fail(`--knob takes name=value, got "${text}"`);
  return [name, value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value];
}

/** One tRPC call over plain HTTP (GET for queries, POST for mutations), its answer checked against `schema`. */
async function call<T extends z.ZodType>(url: string, key: string, procedure: string, schema: T, input?: unknown): Promise<z.infer<T>> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const response =
    input === undefined
      ? await fetch(`${url}/trpc/${procedure}`, { headers })
      : await fetch(`${url}/trpc/${procedure}`, { method: 'POST', headers, body: JSON.stringify(input) });
  const body = (await response.json().catch(() => null)) as { result?: { data: unknown }; error?: { message: string } } | null;
  if (!response.ok || !body?.result) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new CallError(
      `${procedure} answered ${response.status}: ${body?.error?.message ?? 'no JSON body'}`,
      response.status,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
  return schema.parse(body.result.data);
}

/** Starts a run; an instance too busy to take it (503) is asked again after its Retry-After, for a while. */
async function startRun(url: string, key: string, input: { scenario: TScenarioName; knobs: TScenarioKnobValues }) {
  const deadline = Date.now() + START_RETRY_LIMIT_MS;
  for (;;) {
    try {
      return await call(url, key, 'scenarios.start', ZScenarioRun, input);
    } catch (error) {
      if (!(error instanceof CallError) || error.status !== 503 || Date.now() > deadline) throw error;
      const waitSeconds = error.retryAfterSeconds ?? 1;
      console.log(`  the server is busy (${error.message}); asking again in ${waitSeconds} s`);
      await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1_000));
    }
  }
}

function renderVerdict(verdict: TScenarioVerdict): string {
  const seconds = ((Date.parse(verdict.finishedAt) - Date.parse(verdict.run.startedAt)) / 1_000).toFixed(1);
  const lines = [`${SCENARIOS[verdict.run.scenario].title}: ${verdict.outcome.toUpperCase()} in ${seconds} s (run ${verdict.run.runId})`];
  if (verdict.error) lines.push(`  error: ${verdict.error}`);
  for (const check of verdict.checks) lines.push(`  ${check.passed ? '✓' : '✗'} ${check.name}: ${check.actual} (expected ${check.expected})`);
  for (const figure of verdict.figures) lines.push(`    ${figure.label}: ${figure.value ?? '—'} ${figure.unit}`);
  return lines.join('\n');
}

async function follow(url: string, key: string, runId: string): Promise<TScenarioVerdict> {
  let lastEventId: string | null = null;
  for (;;) {
    const input = encodeURIComponent(JSON.stringify({ runId, lastEventId }));
    const stream = await openSse(`${url}/trpc/scenarios.progress?input=${input}`, { authorization: `Bearer ${key}` });
    try {
      for (;;) {
        const message = await stream.next(QUIET_MS);
        if (message.id) lastEventId = message.id;
        const event = ZScenarioEvent.parse(JSON.parse(message.data));
        if (event.type === 'verdict') return event;
        if (event.type === 'mark') console.log(`  +${(event.elapsedMs / 1_000).toFixed(1)} s  ${event.label}`);
        else if (event.type === 'sample')
          process.stdout.write(`  ${Math.round(event.progress * 100)}%  ${event.phase}: ${event.traffic.perSecond} answers/s\r`);
      }
    } catch (error) {
      console.log(`  (progress stream interrupted: ${(error as Error).message}; resuming after event ${lastEventId ?? 'none'})`);
    } finally {
      stream.close();
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      all: { type: 'boolean', default: false },
      short: { type: 'boolean', default: false },
      knob: { type: 'string', multiple: true, default: [] },
      url: { type: 'string', default: process.env.PULSE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3001}` },
      key: { type: 'string', default: process.env.PULSE_ADMIN_KEY },
    },
  });
  if (!values.key) fail("an admin key is needed: --key or PULSE_ADMIN_KEY (./start.sh prints the demo tenant's on every start)");
  if (values.all === (values.scenario !== undefined)) fail('give either --scenario <name> or --all');
  const names: TScenarioName[] = values.all
    ? [...ZScenarioName.options]
    : [ZScenarioName.safeParse(values.scenario).data ?? fail(`no scenario "${values.scenario}"`)];
  const url = values.url.replace(/\/$/, '');
  const key = values.key;
  const given = Object.fromEntries(values.knob.map(parseKnob)) as TScenarioKnobValues;
  if (values.all && Object.keys(given).length > 0) fail('--knob applies to one --scenario');

  const status = await call(url, key, 'scenarios.status', ZScenarioStatus).catch((error: unknown) => {
    const why = error instanceof CallError ? error.message : `nothing answered (${(error as Error).message})`;
    return fail(`cannot ask ${url} about its scenarios: ${why}; is the server running there?`);
  });
  if (!status.enabled) fail(`scenarios cannot run on ${url}: ${status.reason}`);

  const verdicts: TScenarioVerdict[] = [];
  const skipped: TScenarioName[] = [];
  for (const name of names) {
    const unavailable = status.unavailable[name];
    if (unavailable) {
      console.log(`\n▷ ${SCENARIOS[name].title} — skipped: ${unavailable}`);
      skipped.push(name);
      continue;
    }
    const knobs = resolveKnobs(name, given, values.short ? 'short' : 'default');
    console.log(
      `\n▶ ${SCENARIOS[name].title} — ${Object.entries(knobs)
        .map(([knob, value]) => `${knob}=${value}`)
        .join(' ')}`,
    );
    console.log(`  expected: ${SCENARIOS[name].expectation}`);
    const run = await startRun(url, key, { scenario: name, knobs });
    const verdict = await follow(url, key, run.runId);
    verdicts.push(verdict);
    console.log(`\n${renderVerdict(verdict)}`);
  }

  const passed = verdicts.filter((verdict) => verdict.outcome === 'passed').length;
  const skips = skipped.length > 0 ? `; ${skipped.length} skipped, as this server cannot run them (${skipped.join(', ')})` : '';
  console.log(`\n${passed} of ${verdicts.length} scenarios passed${skips}.`);
  // Only what was asked for by name must run: a skip in --all is said, not failed.
  process.exit(passed === verdicts.length && (values.all || skipped.length === 0) ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
