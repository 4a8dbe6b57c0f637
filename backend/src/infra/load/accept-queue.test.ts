import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { expect, it } from 'vitest';
import { acceptQueueLength } from './accept-queue.ts';

/** A process that listens, says on which port, then keeps its event loop busy: it takes no connection meanwhile. */
const BUSY_LISTENER = `
const server = require('node:net').createServer().listen(0, '127.0.0.1', () => {
  console.log(server.address().port);
  const until = Date.now() + 5000;
  while (Date.now() < until);
  process.exit(0);
});`;

it.runIf(process.platform === 'linux')('counts the connections waiting for a busy process to take them', async () => {
  const child = spawn(process.execPath, ['-e', BUSY_LISTENER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
  const clients: Socket[] = Array.from({ length: 3 }, () => connect(port, '127.0.0.1').on('error', () => {}));
  try {
    await expect.poll(() => acceptQueueLength(port), { timeout: 3_000 }).toBe(3);
  } finally {
    for (const client of clients) client.destroy();
    child.kill();
  }
});

it('says nothing for a port nobody listens on', async () => {
  expect(await acceptQueueLength(1)).toBeNull();
});
