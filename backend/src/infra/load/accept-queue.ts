import { readFile } from 'node:fs/promises';

const LISTEN_STATE = '0A';
const PROC_TABLES = ['/proc/net/tcp', '/proc/net/tcp6'];

/**
 * Connections the kernel has accepted for this server's port that the process has not yet taken (Linux: the
 * `rx_queue` of the listening socket in /proc/net/tcp). A saturated event loop takes new connections slowly, so
 * under a spike most of the wait happens there, before any request is seen; this is how ingestion's
 * TurnScheduler knows to leave the loop free iterations to take them.
 * Null where the kernel does not say (not Linux).
 */
export async function acceptQueueLength(port: number): Promise<number | null> {
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let found = false;
  let waiting = 0;
  for (const table of PROC_TABLES) {
    const text = await readFile(table, 'utf8').catch(() => null);
    if (text === null) continue;
    for (const line of text.split('\n')) {
      // "  sl  local_address rem_address   st tx_queue:rx_queue …"
      const [, local, , state, queues] = line.trim().split(/\s+/);
      const receiveQueue = Number.parseInt(queues?.split(':')[1] ?? '', 16);
      if (state !== LISTEN_STATE || !local?.endsWith(portHex) || Number.isNaN(receiveQueue)) continue;
      found = true;
      waiting += receiveQueue;
    }
  }
  return found ? waiting : null;
}
