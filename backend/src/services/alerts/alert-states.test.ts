import { describe, expect, it } from 'vitest';
import { nextProgress, type RuleProgress, type StatePolicy } from './alert-states.ts';

const FIVE_MINUTES = 300_000;
const START = Date.UTC(2026, 11, 1);

/** Runs windows of five minutes through the state machine; returns the states and the notifications sent. */
function run(breaches: ReadonlyArray<boolean | null>, policy: StatePolicy) {
  let progress: RuleProgress = { state: 'ok', consecutiveBreaches: 0, lastFiredAt: null };
  const states: string[] = [];
  const notifications: string[] = [];
  breaches.forEach((breached, index) => {
    const step = nextProgress(progress, breached, new Date(START + (index + 1) * FIVE_MINUTES), policy);
    progress = step.progress;
    states.push(progress.state);
    if (step.notify) notifications.push(`${index}:${step.notify}`);
  });
  return { states, notifications };
}

describe('alert rule states', () => {
  it('fires once after the pending windows, stays firing without repeating itself, and resolves', () => {
    const { states, notifications } = run([true, true, true, true, false, false], { pendingWindows: 2, cooldownMs: 0 });
    expect(states).toEqual(['pending', 'firing', 'firing', 'firing', 'resolved', 'ok']);
    expect(notifications).toEqual(['1:firing', '4:resolved']);
  });

  it('never fires on input that flaps faster than the pending windows', () => {
    const flapping = Array.from({ length: 200 }, (_, index) => index % 2 === 0);
    const { notifications, states } = run(flapping, { pendingWindows: 2, cooldownMs: 0 });
    expect(notifications).toEqual([]);
    expect(new Set(states)).toEqual(new Set(['pending', 'ok']));
  });

  it('fires flapping input at most once per cooldown', () => {
    const flapping = Array.from({ length: 24 * 12 }, (_, index) => index % 2 === 0); // a day of 5-minute windows
    const { notifications } = run(flapping, { pendingWindows: 1, cooldownMs: 60 * 60_000 });
    const firings = notifications.filter((notification) => notification.endsWith('firing')).map((notification) => Number(notification.split(':')[0]));
    expect(firings.length).toBe(24);
    for (let index = 1; index < firings.length; index++) expect((firings[index]! - firings[index - 1]!) * FIVE_MINUTES).toBeGreaterThanOrEqual(60 * 60_000);
  });

  it('says no data when a window cannot be judged, and starts counting breaches afresh after it', () => {
    const { states, notifications } = run([true, null, true, true], { pendingWindows: 2, cooldownMs: 0 });
    expect(states).toEqual(['pending', 'no_data', 'pending', 'firing']);
    expect(notifications).toEqual(['3:firing']);
  });
});
