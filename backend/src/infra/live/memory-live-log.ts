import { LIVE_LOG_MAX_ENTRIES, compareLiveIds, type LiveEntry, type LiveLog } from './live-log.ts';

/** The in-process twin of the Redis Stream log, for embedded mode. */
export class MemoryLiveLog implements LiveLog {
  private readonly logs = new Map<number, LiveEntry[]>();
  private lastMs = 0;
  private seq = 0;

  async append(tenantId: number, payload: string): Promise<string> {
    const now = Date.now();
    // Ids grow like Redis's: the clock's milliseconds, and a sequence within one millisecond.
    if (now > this.lastMs) {
      this.lastMs = now;
      this.seq = 0;
    } else {
      this.seq += 1;
    }
    const id = `${this.lastMs}-${this.seq}`;
    const log = this.logs.get(tenantId) ?? [];
    log.push({ id, payload });
    if (log.length > LIVE_LOG_MAX_ENTRIES) log.splice(0, log.length - LIVE_LOG_MAX_ENTRIES);
    this.logs.set(tenantId, log);
    return id;
  }

  async after(tenantId: number, afterId: string | null, limit: number): Promise<LiveEntry[]> {
    const log = this.logs.get(tenantId) ?? [];
    const start = afterId === null ? 0 : log.findIndex((entry) => compareLiveIds(entry.id, afterId) > 0);
    return start < 0 ? [] : log.slice(start, start + limit);
  }

  async latestId(tenantId: number): Promise<string | null> {
    return this.logs.get(tenantId)?.at(-1)?.id ?? null;
  }
}
