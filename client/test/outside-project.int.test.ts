import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Runtime } from '@pulse/backend/runtime';
import { startTestRuntime } from '@pulse/backend/test/test-runtime';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '@pulse/backend/test/test-tenant';

// What a TypeScript project outside this repository gets: @pulse/client packed as npm would publish it,
// installed from the tarball into a project whose tsconfig is the one `tsc --init` writes. The project's own
// compiler must refuse a call with a wrong input and accept a right one, which then runs against a server.
const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

let project: string;
let runtime: Runtime;
let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'pulse-client-user-'));
  // The tarball is what `npm publish` would upload: dist/ only, built by `npm run build`.
  await run('npm', ['run', 'build', '--workspace', 'client'], { cwd: REPO });
  await run('npm', ['pack', '--workspace', 'client', '--pack-destination', project], { cwd: REPO });
  const tarball = (await readdir(project)).find((name) => name.endsWith('.tgz'))!;
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'pulse-client-user', private: true, type: 'module' }));
  await run(process.execPath, [TSC, '--init'], { cwd: project });
  // Its dependencies (tRPC, zod) come from npm's cache when they are there, as they are after this repo's install.
  // The eventsource package is what a Node.js caller passes for live streams (Node has no EventSource of its own).
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `./${tarball}`, 'eventsource@4'], { cwd: project });

  runtime = await startTestRuntime();
  tenant = await createTestTenant(runtime, 'client-package');
  server = await startTestServer(runtime);
}, 180_000);

afterAll(async () => {
  await server?.close();
  await runtime?.close();
  if (project) await rm(project, { recursive: true, force: true });
});

/** Type-checks (and emits) the project as its owner would, with its tsconfig; the compiler's output and exit code. */
async function typeCheck(): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [TSC, '-p', project], { cwd: project });
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: (error as { stdout: string }).stdout };
  }
}

/** The start of a caller's module: two clients, one per key, for the test server. */
const useClient = () => `import { createPulseClient, type PulseOutputs } from '@pulse/client';

const url = ${JSON.stringify(server.url)};
const sender = createPulseClient({ url, apiKey: ${JSON.stringify(tenant.keys.ingest)} });
const reader = createPulseClient({ url, apiKey: ${JSON.stringify(tenant.keys.read)} });
`;

it('refuses a call whose input is wrong at compile time, in the caller’s own project', async () => {
  await writeFile(
    join(project, 'wrong.ts'),
    `${useClient()}
await reader.analytics.summary.query({ from: 1_700_000_000, to: '2026-12-01T00:00:00Z' });
await sender.events.ingest.mutate({ events: [] });
const summary: PulseOutputs['analytics']['summary'] = await reader.analytics.summary.query({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' });
summary.visitors.toFixed();
`,
  );
  try {
    const { ok, output } = await typeCheck();
    expect(ok).toBe(false);
    // One error per wrong line, and each in the caller's file (none in the package's declarations).
    expect(output).toMatch(/wrong\.ts\(7,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
    expect(output).toMatch(/wrong\.ts\(8,\d+\): error TS2353: Object literal may only specify known properties, and 'events' does not exist/);
    expect(output).toMatch(/wrong\.ts\(10,\d+\): error TS2339: Property 'visitors' does not exist/);
    expect(output.match(/error TS/g)).toHaveLength(3);
  } finally {
    await rm(join(project, 'wrong.ts'));
  }
});

it('accepts right calls, which then store events, read them back and watch them arrive live from a running server', async () => {
  await writeFile(
    join(project, 'right.ts'),
    `${useClient()}
import { EventSource } from 'eventsource';

const watcher = createPulseClient({ url, apiKey: ${JSON.stringify(tenant.keys.read)}, EventSource });
let streamOpen!: () => void;
const opened = new Promise<void>((resolve) => (streamOpen = resolve));
const firstCommitAccepted = new Promise<number>((resolve, reject) => {
  const subscription = watcher.analytics.live.subscribe(undefined, {
    onStarted: () => streamOpen(),
    onData: (commit) => {
      subscription.unsubscribe();
      resolve(commit.data.accepted);
    },
    onError: reject,
  });
});
await opened;

const sent = await sender.events.ingest.mutate({
  batch: [1, 2, 3].map((n) => ({ type: 'track', event: 'signed_up', userId: \`user-\${n}\`, messageId: \`client-package-\${n}\` })),
});
const from = new Date(Date.now() - 3_600_000).toISOString();
const to = new Date(Date.now() + 60_000).toISOString();
const summary: PulseOutputs['analytics']['summary'] = await reader.analytics.summary.query({ from, to });
const liveAccepted = await firstCommitAccepted;
console.log(JSON.stringify({ accepted: sent.accepted, totalEvents: summary.totalEvents, uniqueUsers: summary.uniqueUsers, liveAccepted }));
`,
  );
  const { ok, output } = await typeCheck();
  expect(output).toBe('');
  expect(ok).toBe(true);

  const { stdout } = await run(process.execPath, [join(project, 'right.js')], { cwd: project, timeout: 30_000 });
  expect(JSON.parse(stdout)).toEqual({ accepted: 3, totalEvents: 3, uniqueUsers: 3, liveAccepted: 3 });
});
