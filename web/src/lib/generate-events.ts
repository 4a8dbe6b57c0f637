import type { TIngestBatchRequest } from '@pulse/shared/ingest';

export const GENERATOR_EVENT_TYPES = ['page_view', 'signup', 'add_to_cart', 'purchase', 'button_click'] as const;
export const GENERATOR_DEVICES = ['desktop', 'mobile', 'tablet'] as const;
export type TGeneratorDevice = (typeof GENERATOR_DEVICES)[number];

/** User agents the server's parser reads as each device type. */
const USER_AGENTS: Record<TGeneratorDevice, string> = {
  desktop: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
  mobile: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  tablet: 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
};
const PATHS = ['/', '/pricing', '/docs', '/blog/launch', '/signup', '/checkout'];
const DAY_MS = 86_400_000;

export interface TGeneratorSettings {
  eventTypes: string[];
  users: number;
  devices: TGeneratorDevice[];
  /** Events are spread over this many past days (0: now). */
  spreadDays: number;
  batchSize: number;
  batches: number;
  /** Batches sent per second. */
  rate: number;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** One batch of realistic events. Each has its own message id, kept when the batch is resent after a refusal. */
export function generateBatch(settings: TGeneratorSettings, now = Date.now()): TIngestBatchRequest {
  return {
    batch: Array.from({ length: settings.batchSize }, () => {
      const event = pick(settings.eventTypes);
      const device = pick(settings.devices);
      const path = pick(PATHS);
      return {
        type: event === 'page_view' ? ('page' as const) : ('track' as const),
        event,
        userId: `user-${Math.floor(Math.random() * settings.users) + 1}`,
        messageId: crypto.randomUUID(),
        timestamp: new Date(now - Math.random() * settings.spreadDays * DAY_MS).toISOString(),
        context: { page: { path }, userAgent: USER_AGENTS[device] },
        properties: event === 'purchase' ? { amount: Math.round(Math.random() * 200) } : {},
      };
    }),
  };
}
