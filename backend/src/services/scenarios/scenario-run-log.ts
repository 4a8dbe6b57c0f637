import type { TScenarioEvent } from '@pulse/shared/scenarios';

export interface LoggedScenarioEvent {
  id: string;
  event: TScenarioEvent;
}

/**
 * Everything one run reported, in order, so a progress subscriber that connects late or reconnects gets
 * what it missed (ids are positions: "1", "2", …). A run reports a few hundred events at most.
 */
export class ScenarioRunLog {
  private readonly events: LoggedScenarioEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private finished = false;

  append(event: TScenarioEvent): void {
    this.events.push({ id: String(this.events.length + 1), event });
    this.wake();
  }

  /** No more events: followers return once they have read everything. */
  finish(): void {
    this.finished = true;
    this.wake();
  }

  /** The events after `afterId` (from the start for null), then each new one, until the run finishes or `signal` aborts. */
  async *follow(afterId: string | null, signal: AbortSignal): AsyncGenerator<LoggedScenarioEvent> {
    let next = afterId === null ? 0 : Math.max(0, Number.parseInt(afterId, 10) || 0);
    while (!signal.aborted) {
      while (next < this.events.length) yield this.events[next++]!;
      if (this.finished) return;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
