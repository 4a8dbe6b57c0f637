/**
 * The tag every entry of a tenant carries (added by the tag cache): invalidating it retires all of them.
 * It is what a tenant's deferred invalidations collapse to when too many distinct tags pile up.
 */
export const WHOLE_TENANT_TAG = 'tenant:all';

export interface PendingLimits {
  /** Distinct tags kept for one tenant before they collapse to the whole tenant. */
  perTenant: number;
  /** Distinct tags kept over all tenants; past it, a tenant that adds more collapses to the whole tenant. */
  total: number;
}

export const DEFAULT_PENDING_LIMITS: PendingLimits = { perTenant: 1_000, total: 100_000 };

/**
 * Invalidations that could not reach Redis, kept per tenant until they are replayed. Memory is bounded:
 * past a limit a tenant's tags become the one tag every entry of the tenant carries, which retires more
 * than needed (cost) but never less (correctness).
 */
export class PendingInvalidations {
  private readonly byTenant = new Map<number, Set<string>>();
  private tagCount = 0;

  constructor(private readonly limits: PendingLimits = DEFAULT_PENDING_LIMITS) {}

  get isEmpty(): boolean {
    return this.byTenant.size === 0;
  }

  /** Distinct (tenant, tag) pairs held. */
  get size(): number {
    return this.tagCount;
  }

  has(tenantId: number): boolean {
    return this.byTenant.has(tenantId);
  }

  add(tenantId: number, tags: readonly string[]): void {
    const held = this.byTenant.get(tenantId) ?? new Set<string>();
    this.byTenant.set(tenantId, held);
    if (held.has(WHOLE_TENANT_TAG)) return;
    const before = held.size;
    for (const tag of tags) held.add(tag);
    this.tagCount += held.size - before;
    if (held.size > this.limits.perTenant || this.tagCount > this.limits.total) this.collapse(tenantId, held);
  }

  /** What to replay, tenant by tenant (a copy: tags added meanwhile stay for the next replay). */
  snapshot(): Array<[tenantId: number, tags: string[]]> {
    return [...this.byTenant].map(([tenantId, tags]) => [tenantId, [...tags]]);
  }

  /** Forgets `tags` of a tenant once they reached Redis and were broadcast. */
  settle(tenantId: number, tags: readonly string[]): void {
    const held = this.byTenant.get(tenantId);
    if (!held) return;
    for (const tag of tags) if (held.delete(tag)) this.tagCount -= 1;
    if (held.size === 0) this.byTenant.delete(tenantId);
  }

  private collapse(tenantId: number, held: Set<string>): void {
    this.tagCount -= held.size - 1;
    this.byTenant.set(tenantId, new Set([WHOLE_TENANT_TAG]));
  }
}
