import type { TBreakerStatus, THealth, TRunMode } from '@pulse/shared/system';
import type { BreakerRegistry } from '../infra/breakers/breaker-registry.ts';
import type { DeadLetterCounts, Spool } from '../infra/spool/spool.ts';

/** A health check never takes longer than this: a hung dependency is reported as such, not waited for. */
const CHECK_TIMEOUT_MS = 1_000;

export interface HealthDependencies {
  mode: TRunMode;
  pingPostgres: () => Promise<unknown>;
  /** "ok" once migrations are applied; until then what start-up is waiting for (PostgreSQL is not pinged). */
  databaseStartup: () => string;
  /** Null in embedded mode. */
  pingRedis: (() => Promise<unknown>) | null;
  breakers: Pick<BreakerRegistry, 'statuses'>;
  spool: Pick<Spool, 'depth' | 'deadLetters'> | null;
}

/** Readiness: can this instance take events now, and how are its dependencies doing. */
export class HealthService {
  constructor(private readonly dependencies: HealthDependencies) {}

  async readiness(): Promise<THealth> {
    const { mode, pingPostgres, databaseStartup, pingRedis, spool } = this.dependencies;
    const startup = databaseStartup();
    const [postgres, redis, depth, deadLetters] = await Promise.all([
      startup === 'ok' ? check(pingPostgres) : startup,
      pingRedis ? check(pingRedis) : undefined,
      this.spoolDepth(),
      this.deadLetters(),
    ]);
    // Events are taken while PostgreSQL is up, or while it is out and the spool can hold them.
    const canTakeEvents = postgres === 'ok' || (spool !== null && redis === 'ok');
    const allOk = postgres === 'ok' && (redis === undefined || redis === 'ok');
    // Acknowledged events that could not be stored are an incident even when every dependency is up.
    const incidents =
      deadLetters && deadLetters.events > 0
        ? [`${deadLetters.events} acknowledged events were refused by PostgreSQL and set aside in the dead-letter stream: see npm run dead-letters`]
        : [];
    return {
      status: allOk && incidents.length === 0 ? 'ok' : canTakeEvents ? 'degraded' : 'unavailable',
      mode,
      checks: redis === undefined ? { postgres } : { postgres, redis },
      breakers: this.breakerStatuses(),
      spool: spool ? { depth, deadLetters } : null,
      incidents,
    };
  }

  /** The dead-letter stream shared by every instance; null without a spool, or when Redis cannot say. */
  async deadLetters(): Promise<DeadLetterCounts | null> {
    const { spool } = this.dependencies;
    return spool ? withTimeout(spool.deadLetters()).catch(() => null) : null;
  }

  /** The breakers of the dependencies this instance has: without Redis (embedded mode), none for Redis. */
  breakerStatuses(): TBreakerStatus[] {
    const statuses = this.dependencies.breakers.statuses();
    return this.dependencies.pingRedis ? statuses : statuses.filter((status) => status.dependency !== 'redis');
  }

  /** Spooled requests waiting for PostgreSQL; null without a spool, or when Redis cannot say. */
  async spoolDepth(): Promise<number | null> {
    const { spool } = this.dependencies;
    return spool ? withTimeout(spool.depth()).catch(() => null) : null;
  }
}

async function check(ping: () => Promise<unknown>): Promise<string> {
  try {
    await withTimeout(ping());
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
