import { describe, expect, it } from 'vitest';
import { EventQuotas, quotasWith } from './event-quotas.ts';

const calendar = new EventQuotas({ quotaByPlan: quotasWith({}) });

describe('EventQuotas', () => {
  it('counts calendar months in UTC by default, whatever the local time zone calls the day', () => {
    expect(calendar.periodAt(new Date('2026-12-31T23:59:59.999Z'))).toEqual({
      start: new Date('2026-12-01T00:00:00.000Z'),
      end: new Date('2027-01-01T00:00:00.000Z'),
    });
    expect(calendar.periodAt(new Date('2027-01-01T00:00:00.000Z')).start).toEqual(new Date('2027-01-01T00:00:00.000Z'));
    expect(calendar.periodAt(new Date('2028-02-15T12:00:00+14:00')).end).toEqual(new Date('2028-03-01T00:00:00.000Z'));
  });

  it('counts periods of QUOTA_PERIOD_SECONDS from the Unix epoch, so every instance agrees on them', () => {
    const short = new EventQuotas({ quotaByPlan: quotasWith({}), periodSeconds: 5 });
    expect(short.periodAt(new Date(12_345))).toEqual({ start: new Date(10_000), end: new Date(15_000) });
    expect(short.periodAt(new Date(15_000)).start).toEqual(new Date(15_000));
  });

  it("holds each plan to its quota, an unknown plan to the free plan's, and the enterprise plan to none", () => {
    const quotas = new EventQuotas({ quotaByPlan: quotasWith({ pro: 300 }) });
    expect([quotas.quotaFor('free'), quotas.quotaFor('pro'), quotas.quotaFor('enterprise'), quotas.quotaFor('gold')]).toEqual([100_000, 300, null, 100_000]);
  });

  it('meters requests against the quotas and spooled events against none, in the period of the write', () => {
    const at = new Date('2026-12-06T10:00:00Z');
    expect(calendar.metering(at, true).periodStart).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(calendar.metering(at, true).quotaOf!('free')).toBe(100_000);
    expect(calendar.metering(at, false).quotaOf).toBeNull();
  });

  it('answers a spent quota with 429 QUOTA_EXCEEDED naming the plan, the quota and the reset, and Retry-After until then', () => {
    const error = calendar.exceeded({ plan: 'free', quota: 100_000, periodStart: new Date('2026-12-01T00:00:00Z') }, new Date('2026-12-31T23:00:00.500Z'));
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.httpStatus).toBe(429);
    expect(error.message).toBe(
      'monthly event quota reached: the free plan allows 100,000 events per calendar month (UTC) and this tenant has stored them all; ' +
        'events are accepted again from 2027-01-01T00:00:00.000Z, when the quota resets (upgrade the plan to send more before then)',
    );
    expect(error.options.retryAfterSeconds).toBe(3_600);
  });
});
