import type { RedisConnection } from './redis-client.ts';

export type RedisLinkEvent = 'lost' | 'ready';

/**
 * The connections an instance needs to hear every other instance (its command client and its pub/sub
 * subscriber): told when one of them drops (messages may have been missed) and when one is ready again.
 */
export class RedisLink {
  constructor(private readonly connections: readonly RedisConnection[]) {}

  /** Calls `listener` on every drop and every reconnection, until the returned function is called. */
  onChange(listener: (event: RedisLinkEvent) => void): () => void {
    const lost = () => listener('lost');
    const ready = () => listener('ready');
    for (const connection of this.connections) connection.on('close', lost).on('ready', ready);
    return () => {
      for (const connection of this.connections) connection.off('close', lost).off('ready', ready);
    };
  }

  isReady(): boolean {
    return this.connections.every((connection) => connection.status === 'ready');
  }

  /**
   * One round trip on every connection. A subscriber resubscribes as it becomes ready, before this ping on
   * the same connection, so once this resolves it hears its channels again.
   */
  async probe(): Promise<void> {
    await Promise.all(this.connections.map((connection) => connection.ping()));
  }
}
