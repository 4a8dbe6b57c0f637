import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface ServerProcess {
  url: string;
  pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

const MAIN_SCRIPT = 'backend/src/main.ts';
/** How long a started server may take to migrate and report PostgreSQL ready. */
const READY_TIMEOUT_MS = 30_000;

/**
 * The real server in its own process (as in production), on a free loopback port; or another server
 * script that prints "listening on <url>" the same way. An `env` value of undefined unsets that variable.
 * The server listens before its database is ready (it migrates once PostgreSQL answers): unless
 * `waitUntilReady` is false, this resolves once `/health/ready` reports PostgreSQL ready.
 */
export async function startServerProcess(
  env: Record<string, string | undefined>,
  script = MAIN_SCRIPT,
  options: {
    waitUntilReady?: boolean;
    /** Node's arguments and working directory when the server is not this checkout's TypeScript (a built image's files). */
    command?: { nodeArgs: string[]; cwd: string };
  } = {},
): Promise<ServerProcess> {
  const { nodeArgs, cwd } = options.command ?? { nodeArgs: ['--import', 'tsx', script], cwd: REPO_ROOT };
  const child = spawn(process.execPath, nodeArgs, {
    cwd,
    // Alert rules are evaluated only where a test asks for it: servers of other tests share the database, and would
    // judge those tests' rules on the real clock.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DEMO_MODE: 'false', NODE_ENV: 'production', ALERTS_EVERY_SECONDS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stopping = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      // A server that dies under a test takes its reason with it unless it is said here.
      if (!stopping && code !== 0)
        console.error(`server process ${child.pid} exited by itself (code ${code}, signal ${signal}); its last output:\n${output.slice(-4_000)}`);
      resolve(code);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  if ((script === MAIN_SCRIPT || options.command) && options.waitUntilReady !== false) await untilDatabaseReady(url, () => output);
  return {
    url,
    pid: child.pid!,
    output: () => output,
    exited,
    async stop() {
      stopping = true;
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function untilDatabaseReady(url: string, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const health = (await (await fetch(`${url}/health/ready`)).json()) as { checks?: { postgres?: string } };
    if (health.checks?.postgres === 'ok') return;
    if (Date.now() > deadline)
      throw new Error(`the server at ${url} did not report PostgreSQL ready within ${READY_TIMEOUT_MS} ms (${health.checks?.postgres}):\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
