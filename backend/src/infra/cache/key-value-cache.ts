/**
 * A string cache with expiry. The Redis implementation is shared by all instances; the in-process one
 * serves embedded mode. (The tag-set cache of docs/ARCHITECTURE.md will build on Redis directly.)
 */
export interface KeyValueCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Adds one to a counter (created at 0) and returns the new value; counters do not expire. */
  increment(key: string): Promise<number>;
}
