/**
 * Cache keys and channels, all carrying the tenant as a Redis hash tag ({t:42}) so that one tenant's keys
 * share a cluster slot and no key can ever be shared between tenants.
 */
export const tenantTag = (tenantId: number): string => `{t:${tenantId}}`;

/** A counter bumped on every commit; cached answers include it in their key. */
export const dataVersionKey = (tenantId: number): string => `data-version:${tenantTag(tenantId)}`;

export const eventsCommittedChannel = (tenantId: number): string => `events-committed:${tenantTag(tenantId)}`;
