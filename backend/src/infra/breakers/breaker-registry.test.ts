import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../errors/app-error.ts';
import { BreakerRegistry, DependencyUnavailableError, type BreakerSettings } from './breaker-registry.ts';
import { createBreakers, DEFAULT_BREAKER_CONFIG } from './create-breakers.ts';
import { FaultInjector } from './fault-injector.ts';

const registries: BreakerRegistry[] = [];
afterEach(() => {
  for (const registry of registries.splice(0)) registry.shutdown();
});

function breakers(overrides: Partial<typeof DEFAULT_BREAKER_CONFIG> = {}): BreakerRegistry {
  const registry = createBreakers({ ...DEFAULT_BREAKER_CONFIG, BREAKER_WINDOW_MS: 10_000, ...overrides });
  registries.push(registry);
  return registry;
}

const connectionRefused = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
const ok = () => Promise.resolve('ok');

async function failures(registry: BreakerRegistry, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await registry.run('postgres-write', connectionRefused).catch(() => {});
}

describe('BreakerRegistry', () => {
  it('does not open on one early failure, opens once the window holds enough failed calls', async () => {
    const registry = breakers();
    await failures(registry, 1);
    expect(registry.state('postgres-write')).toBe('closed');
    await failures(registry, 4);
    expect(registry.state('postgres-write')).toBe('open');
    await expect(registry.run('postgres-write', ok)).rejects.toMatchObject({ name: 'DependencyUnavailableError', reason: 'open' });
    expect(registry.state('postgres-read')).toBe('closed');
  });

  it('opens for a dependency that hangs, even when callers wait one after another', async () => {
    // A window shorter than volume threshold × timeout could never hold enough timed-out calls.
    const registry = breakers({ REDIS_TIMEOUT_MS: 50, BREAKER_WINDOW_MS: 100 });
    const hang = () => new Promise<never>(() => {});
    for (let i = 0; i < 6; i += 1) await registry.run('redis', hang).catch(() => {});
    expect(registry.state('redis')).toBe('open');
  });

  it('reports outages as DependencyUnavailableError and passes other errors through unchanged', async () => {
    const registry = breakers();
    await expect(registry.run('postgres-write', connectionRefused)).rejects.toBeInstanceOf(DependencyUnavailableError);
    const syntaxError = Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' });
    await expect(registry.run('postgres-read', () => Promise.reject(syntaxError))).rejects.toBe(syntaxError);
    const badScript = Object.assign(new Error('CROSSSLOT Keys in request do not hash to the same slot'), { name: 'ReplyError' });
    await expect(registry.run('redis', () => Promise.reject(badScript))).rejects.toBe(badScript);
  });

  it('never counts caller errors against the dependency', async () => {
    const registry = breakers();
    for (let i = 0; i < 20; i += 1) {
      await registry.run('postgres-read', () => Promise.reject(new AppError('NOT_FOUND', 'no such event'))).catch(() => {});
    }
    expect(registry.state('postgres-read')).toBe('closed');
    expect(registry.statuses().find((status) => status.dependency === 'postgres-read')?.failureRate).toBe(0);
  });

  it("never counts what the caller's input caused (data exceptions) or a full pool, and still counts injected faults", async () => {
    const registry = breakers();
    const unknownZone = Object.assign(new Error('time zone "US/Pacific-New" not recognized'), { code: '22023' });
    const prismaDateOutOfRange = Object.assign(new Error('Invalid `prisma.event.findMany()` invocation'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2010',
      meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '22008' } } },
    });
    for (let i = 0; i < 20; i += 1) {
      await expect(registry.run('postgres-read', () => Promise.reject(unknownZone))).rejects.toBe(unknownZone);
      await expect(registry.run('postgres-read', () => Promise.reject(prismaDateOutOfRange))).rejects.toBe(prismaDateOutOfRange);
    }
    const poolFull = registry.run('postgres-read', () => Promise.reject(new Error('timeout exceeded when trying to connect')));
    await expect(poolFull).rejects.toMatchObject({ name: 'DependencyUnavailableError', reason: 'busy' });
    expect(registry.state('postgres-read')).toBe('closed');

    const faults = new FaultInjector();
    const faulty = createBreakers({ ...DEFAULT_BREAKER_CONFIG, BREAKER_WINDOW_MS: 10_000 }, { faults });
    registries.push(faulty);
    faults.inject('postgres-read', { latencyMs: 0, errorRate: 1, outage: false }, 60_000);
    for (let i = 0; i < 5; i += 1) await faulty.run('postgres-read', ok).catch(() => {});
    expect(faulty.state('postgres-read')).toBe('open');
  });

  it('aborts only the call that timed out', async () => {
    const registry = breakers({ PG_READ_TIMEOUT_MS: 50 });
    const signals: AbortSignal[] = [];
    const slow = (signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<string>((resolve) => setTimeout(() => resolve('late'), 200));
    };
    const fast = (signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<string>((resolve) => setTimeout(() => resolve('fast'), 5));
    };
    const [slowOutcome, fastOutcome] = await Promise.allSettled([registry.run('postgres-read', slow), registry.run('postgres-read', fast)]);
    expect(slowOutcome).toMatchObject({ status: 'rejected', reason: { reason: 'timeout' } });
    expect(fastOutcome).toEqual({ status: 'fulfilled', value: 'fast' });
    expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);
  });

  it('lets one probe through when half-open, and closes again when it succeeds', async () => {
    const registry = breakers({ BREAKER_RESET_TIMEOUT_MS: 100 });
    await failures(registry, 5);
    expect(registry.state('postgres-write')).toBe('open');
    await vi.waitFor(() => expect(registry.state('postgres-write')).toBe('half-open'), { timeout: 5_000, interval: 10 });
    let releaseProbe!: () => void;
    const probe = registry.run('postgres-write', () => new Promise<void>((resolve) => (releaseProbe = resolve)));
    await expect(registry.run('postgres-write', ok)).rejects.toMatchObject({ reason: 'open' });
    releaseProbe();
    await probe;
    expect(registry.state('postgres-write')).toBe('closed');
    const status = registry.statuses().find((entry) => entry.dependency === 'postgres-write')!;
    expect(status.opened).toBe(1);
    expect(status.lastChangeAt).not.toBeNull();
  });

  it('closes the PostgreSQL read breaker as soon as the write breaker has proved the database back', async () => {
    const registry = breakers({ BREAKER_RESET_TIMEOUT_MS: 100 });
    await failures(registry, 5);
    for (let i = 0; i < 5; i += 1) await registry.run('postgres-read', connectionRefused).catch(() => {});
    expect(registry.state('postgres-read')).toBe('open');
    await vi.waitFor(() => expect(registry.state('postgres-write')).toBe('half-open'), { timeout: 5_000, interval: 1 });
    expect(registry.state('postgres-read')).not.toBe('closed');
    await registry.run('postgres-write', ok);
    expect(registry.state('postgres-write')).toBe('closed');
    expect(registry.state('postgres-read')).toBe('closed');
    expect(await registry.run('postgres-read', ok)).toBe('ok');
  });

  it('adds up to 20% jitter to the reset timeout, so instances do not probe in step', () => {
    const settings: BreakerSettings = { timeoutMs: 100, errorThresholdPercentage: 50, volumeThreshold: 5, windowMs: 1_000, resetTimeoutMs: 1_000 };
    const resetTimeouts = Array.from({ length: 20 }, () => {
      const registry = new BreakerRegistry({
        settings: { 'postgres-read': settings, 'postgres-write': settings, redis: settings },
        isCallerError: () => false,
        isOutage: { 'postgres-read': () => true, 'postgres-write': () => true, redis: () => true },
      });
      registries.push(registry);
      return registry.resetTimeoutMs('redis');
    });
    expect(Math.min(...resetTimeouts)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...resetTimeouts)).toBeLessThanOrEqual(1_200);
    expect(new Set(resetTimeouts).size).toBeGreaterThan(1);
  });
});
