import type { TCacheInfo, TDegraded } from '@pulse/shared/analytics';
import type { BreakerRegistry } from '../infra/breakers/breaker-registry.ts';
import type { TagCache } from '../infra/cache/tag-cache.ts';
import { cacheTierFor, dayTags } from './cache-policy.ts';
import { readFailure, type DatabaseReads } from './database-reads.ts';

/** The part of the tag cache answers use (a pass-through in benchmarks that measure the database). */
export type AnswerCache = Pick<TagCache, 'wrap'>;

/** What every cached answer carries besides its own fields. */
export type CachedAnswer<T> = T & { cache: TCacheInfo; degraded?: TDegraded };

/**
 * Dashboard answers through the tag cache: each carries the tags of the UTC days it covers, so a commit retires
 * exactly the answers over days it touched, and lives as long as the age of its data allows. A miss loads within
 * the tenant's share of connections. With the database out, a cached answer within its grace window is served
 * marked degraded; without one the caller gets a clear 503, never made-up zeros.
 */
export class CachedAnswers {
  constructor(
    private readonly cache: AnswerCache,
    private readonly breakers: Pick<BreakerRegistry, 'state'>,
    private readonly reads: DatabaseReads,
  ) {}

  /** The cached answer to `kind` asked with `input`, or the one `load` (using up to `connections` at once) computes. */
  async answer<T extends object>(
    tenantId: number,
    kind: string,
    input: object,
    dependsOn: { from: Date; to: Date },
    connections: number,
    load: () => Promise<T>,
  ): Promise<CachedAnswer<T>> {
    let answer;
    try {
      answer = await this.cache.wrap(tenantId, `${kind}:${JSON.stringify(input)}`, {
        tags: dayTags(dependsOn.from, dependsOn.to),
        tier: cacheTierFor(dependsOn.to),
        load: () => this.reads.run(tenantId, connections, load),
      });
    } catch (error) {
      throw readFailure(error, 'the database is unavailable and no recent answer to this question is cached');
    }
    const ageMs = Math.round(answer.ageMs);
    const result = { ...answer.value, cache: { hit: answer.source !== 'load', stale: answer.stale, ageMs } };
    // A stale answer is normal for a moment (one refresh runs); with the read breaker not closed, no refresh will land.
    if (!answer.stale || this.breakers.state('postgres-read') === 'closed') return result;
    const degraded: TDegraded = {
      reason: 'database-unavailable',
      message: `the database is unavailable: this answer is ${Math.round(ageMs / 1_000)} s old and cannot be refreshed now`,
      dataAgeMs: ageMs,
    };
    return { ...result, degraded };
  }
}
