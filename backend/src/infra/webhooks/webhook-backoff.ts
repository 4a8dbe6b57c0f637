/** The wait after each failed attempt at a webhook: after the 1st 10 s, after the 2nd 30 s, and so on. */
export const WEBHOOK_RETRY_DELAYS_MS = [
  10_000, // 10 s
  30_000, // 30 s
  120_000, // 2 min
  600_000, // 10 min
  1_800_000, // 30 min
  3_600_000, // 1 h
  7_200_000, // 2 h
  14_400_000, // 4 h
] as const;

/** Attempts at one message, the first included, before it is given up. */
export const MAX_WEBHOOK_ATTEMPTS = 8;

export interface BackoffOptions {
  /** Full jitter: a random wait between 0 and the scheduled one, so receivers that fail together are not retried together. */
  jitter?: boolean;
  random?: () => number;
}

/** How long to wait after attempt number `attempt` (1 for the first) failed; past the schedule, its last step. */
export function nextAttemptDelayMs(attempt: number, { jitter = false, random = Math.random }: BackoffOptions = {}): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempts are counted from 1, not ${attempt}`);
  const delayMs = WEBHOOK_RETRY_DELAYS_MS[Math.min(attempt, WEBHOOK_RETRY_DELAYS_MS.length) - 1]!;
  return jitter ? Math.floor(random() * delayMs) : delayMs;
}
