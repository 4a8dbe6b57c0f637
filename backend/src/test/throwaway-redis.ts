import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';

const run = promisify(execFile);

/** A Redis server of the test's own (Debian's redis-server on a free loopback port), free to kill or reconfigure. */
export interface ThrowawayRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const ok = await run('redis-cli', ['-p', String(port), 'ping']).then(
      ({ stdout }) => stdout.trim() === 'PONG',
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function startThrowawayRedis(extraArgs: string[] = [], directory?: string): Promise<ThrowawayRedis> {
  const port = await freePort();
  const dir = directory ?? mkdtempSync(join(tmpdir(), 'pulse-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs], {
    stdio: 'ignore',
  });
  await waitForPing(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await stopProcess(child);
      if (!directory) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForClusterOk(ports: number[]): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const states = await Promise.all(
      ports.map((port) =>
        run('redis-cli', ['-p', String(port), 'cluster', 'info']).then(
          ({ stdout }) => stdout,
          () => '',
        ),
      ),
    );
    if (states.every((state) => state.includes('cluster_state:ok'))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the cluster on ports ${ports.join(', ')} did not reach cluster_state:ok`);
}

/** A real 3-master Redis Cluster on loopback ports, no replicas. */
export async function startThrowawayCluster(): Promise<{ nodes: Array<{ host: string; port: number }>; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-cluster-'));
  const servers: ThrowawayRedis[] = [];
  try {
    for (let index = 0; index < 3; index += 1) {
      servers.push(await startThrowawayRedis(['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${index}.conf`], dir));
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    // Every node must see the whole cluster before a client connects: one that does not yet answers CLUSTERDOWN.
    await waitForClusterOk(servers.map((server) => server.port));
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throwaway cluster and a client to it for the whole test file: started before the first test, stopped after the last. */
export function useThrowawayCluster(): { client: Cluster; seedNodes: string } {
  const handle = {} as { client: Cluster; seedNodes: string };
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const started = await startThrowawayCluster();
    stop = started.stop;
    handle.seedNodes = started.nodes.map((node) => `${node.host}:${node.port}`).join(',');
    handle.client = new Cluster(started.nodes, { redisOptions: { commandTimeout: 5_000 } });
    await handle.client.ping();
  }, 60_000);
  afterAll(async () => {
    handle.client?.disconnect();
    await stop?.();
  });
  return handle;
}
