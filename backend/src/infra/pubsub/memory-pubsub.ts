import type { MessageHandler, PubSub } from './pubsub.ts';

/** In-process twin of RedisPubSub for embedded mode: same contract, one process. */
export class MemoryPubSub implements PubSub {
  private readonly handlersByChannel = new Map<string, Set<MessageHandler>>();

  async publish(channel: string, message: string): Promise<void> {
    const handlers = this.handlersByChannel.get(channel);
    if (!handlers) return;
    // Delivered asynchronously, as Redis does, so a publisher never runs subscriber code inline.
    for (const handler of handlers) queueMicrotask(() => handler(message));
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>> {
    const handlers = this.handlersByChannel.get(channel) ?? new Set<MessageHandler>();
    handlers.add(handler);
    this.handlersByChannel.set(channel, handlers);
    return async () => {
      handlers.delete(handler);
      if (handlers.size === 0) this.handlersByChannel.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.handlersByChannel.clear();
  }
}
