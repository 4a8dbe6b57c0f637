import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TIngestBatchRequest } from '@pulse/shared/ingest';
import { AppError } from '../errors/app-error.ts';
import type { Runtime } from '../runtime.ts';
import { startTestRuntime } from '../test/test-runtime.ts';
import { createTestTenant, type TestTenant } from '../test/test-tenant.ts';
import { quotasWith } from './event-quotas.ts';

// Ingestion against a quota of 10 events a month for the pro plan, in one process: a batch that reaches the
// quota keeps what fits, whole batches past it are refused, and what the spool held during an outage was
// acknowledged already, so it is stored and counted when written even past the quota.
const QUOTA = 10;
let runtime: Runtime;

beforeAll(async () => {
  runtime = await startTestRuntime({
    EVENT_QUOTAS: quotasWith({ pro: QUOTA }),
    FAULT_INJECTION: true,
    // A spool of this file's own, drained often, behind a breaker that probes again soon.
    REDIS_KEY_PREFIX: `${inject('redisKeyPrefix')}quota-${randomBytes(3).toString('hex')}:`,
    SPOOL_DRAIN_INTERVAL_MS: 100,
    BREAKER_RESET_TIMEOUT_MS: 300,
  });
});

afterAll(async () => {
  await runtime?.close();
});

const batchOf = (...messageIds: string[]): TIngestBatchRequest => ({
  batch: messageIds.map((messageId) => ({ type: 'track', event: 'quota', userId: 'u1', messageId })),
});
const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
const ingest = (tenant: TestTenant, request: TIngestBatchRequest) => runtime.services.eventIngest.ingest(tenant, request);

async function storedCount(tenant: TestTenant): Promise<number> {
  const { rows } = await runtime.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1', [tenant.id]);
  return rows[0]!.n;
}

describe('ingestion past the monthly quota', () => {
  it('stores what fits of the batch that reaches the quota and names the rest, then refuses whole batches with QUOTA_EXCEEDED', async () => {
    const tenant = await createTestTenant(runtime, 'quota-batch');
    const { periodStart, resetsAt } = await runtime.services.usage.current(tenant.id);
    expect(await ingest(tenant, batchOf(...ids('first', 7)))).toMatchObject({ accepted: 7, rejected: [] });
    const reaching = await ingest(tenant, batchOf('first-0', ...ids('second', 5)));
    expect(reaching).toMatchObject({ accepted: 3, duplicates: 1 });
    expect(reaching.rejected.map(({ index, code }) => [index, code])).toEqual([
      [4, 'QUOTA_EXCEEDED'],
      [5, 'QUOTA_EXCEEDED'],
    ]);
    expect(reaching.rejected[0]!.message).toContain(`the pro plan allows ${QUOTA} events per calendar month (UTC)`);

    const refused = await ingest(tenant, batchOf('third-0')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'QUOTA_EXCEEDED', message: reaching.rejected[0]!.message });
    expect((refused as AppError).message).toContain(`events are accepted again from ${resetsAt}`);
    const secondsToReset = Math.ceil((Date.parse(resetsAt) - Date.now()) / 1_000);
    expect((refused as AppError).options.retryAfterSeconds).toBeGreaterThanOrEqual(secondsToReset);
    expect((refused as AppError).options.retryAfterSeconds).toBeLessThanOrEqual(secondsToReset + 1);
    expect(await runtime.services.usage.current(tenant.id)).toEqual({ plan: 'pro', quota: QUOTA, used: QUOTA, periodStart, resetsAt });
    expect(await storedCount(tenant)).toBe(QUOTA);
  });

  it('acknowledges events spooled while PostgreSQL is out, and stores and counts them once it is back, past the quota', async () => {
    const tenant = await createTestTenant(runtime, 'quota-spool');
    await ingest(tenant, batchOf(...ids('before', QUOTA)));
    runtime.services.faults.inject({ target: 'postgres-write', outage: true, latencyMs: 0, errorRate: 0, durationSeconds: 30 });
    try {
      expect(await ingest(tenant, batchOf(...ids('spooled', 4)))).toMatchObject({ accepted: 0, queued: 4 });
    } finally {
      runtime.services.faults.clear();
    }
    await expect.poll(() => storedCount(tenant)).toBe(QUOTA + 4);
    expect(await runtime.services.usage.current(tenant.id)).toMatchObject({ quota: QUOTA, used: QUOTA + 4 });
    await expect(ingest(tenant, batchOf('after'))).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });
  });
});
