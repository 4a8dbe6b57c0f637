export type MessageHandler = (message: string) => void;

/** Fan-out of messages to every subscriber of a channel, in this process or, with Redis, in all instances. */
export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active; returns the function that ends it. */
  subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
