import { TRPCClientError } from '@trpc/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeError, retryAfterSecondsOf } from './trpc-errors.ts';

const refusal = (appCode: string, retryAfterSeconds: number) =>
  TRPCClientError.from({ error: { message: `refused (${appCode})`, code: -32029, data: { appCode, httpStatus: 429, retryAfterSeconds } } });

describe('refusals that say when to retry', () => {
  it('waits out a rate limit, but not a spent monthly quota: its wait lasts until the reset', () => {
    expect(retryAfterSecondsOf(refusal('RATE_LIMITED', 30))).toBe(30);
    expect(retryAfterSecondsOf(refusal('QUOTA_EXCEEDED', 86_400))).toBeUndefined();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('says when a spent quota resets', () => {
    vi.useFakeTimers({ now: new Date('2026-12-31T23:00:00Z') });
    const { title, hint } = describeError(refusal('QUOTA_EXCEEDED', 3_600));
    expect(title).toBe('Monthly event quota reached');
    expect(hint).toBe(`Events are accepted again from ${new Date('2027-01-01T00:00:00Z').toLocaleString()}, when the quota resets; a larger plan allows more.`);
  });
});
