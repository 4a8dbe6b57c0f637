import type { Cluster, Redis } from 'ioredis';
import type { MessageHandler, PubSub } from './pubsub.ts';

/** Redis pub/sub: one dedicated subscriber connection per process, handlers dispatched by channel. */
export class RedisPubSub implements PubSub {
  private readonly handlersByChannel = new Map<string, Set<MessageHandler>>();
  /** The subscriber connection (its drops are watched by the tag cache: messages may have been missed). */
  readonly subscriber: Redis | Cluster;

  constructor(private readonly publisher: Redis | Cluster) {
    // A connection in subscriber mode cannot run other commands, hence the duplicate.
    this.subscriber = isCluster(publisher) ? publisher.duplicate([], { enableOfflineQueue: true }) : publisher.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => {});
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.handlersByChannel.get(channel) ?? []) handler(message);
    });
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.publisher.publish(channel, message);
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>> {
    let handlers = this.handlersByChannel.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.handlersByChannel.set(channel, handlers);
      await this.subscriber.subscribe(channel);
    }
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
      if (handlers.size > 0 || this.handlersByChannel.get(channel) !== handlers) return;
      this.handlersByChannel.delete(channel);
      await this.subscriber.unsubscribe(channel);
    };
  }

  async close(): Promise<void> {
    this.handlersByChannel.clear();
    this.subscriber.disconnect();
  }
}

function isCluster(connection: Redis | Cluster): connection is Cluster {
  return 'isCluster' in connection && connection.isCluster;
}
