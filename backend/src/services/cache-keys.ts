/**
 * Per-tenant names in Redis carry the tenant as a hash tag ({t:42}), so that one tenant's keys share a
 * cluster slot and no name can ever be shared between tenants. (The tag cache names its own keys.)
 */
export const tenantTag = (tenantId: number): string => `{t:${tenantId}}`;

/** Circuit breaker state changes of every instance, as they happen. */
export const breakerStateChannel = (redisKeyPrefix: string): string => `${redisKeyPrefix}breaker-state`;
