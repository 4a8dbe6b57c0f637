import type { TAlertState } from '@pulse/shared/alerts';

/** Where a rule stands between windows. */
export interface RuleProgress {
  state: TAlertState;
  /** Breaching windows in a row, up to the one just judged. */
  consecutiveBreaches: number;
  /** The end of the window that last fired the rule. */
  lastFiredAt: Date | null;
}

export interface StatePolicy {
  /** Breaching windows in a row before the rule fires. */
  pendingWindows: number;
  /** After firing, how long (between window ends) before it may fire again. */
  cooldownMs: number;
}

export interface StateStep {
  progress: RuleProgress;
  /** What to tell the rule's webhook about this window, if anything. */
  notify: 'firing' | 'resolved' | null;
}

/**
 * The rule's next state after one window: `breached` true or false, or null when the window could not be judged
 * (no data). A rule fires when its condition has held for `pendingWindows` windows in a row and the cooldown since
 * it last fired has passed; it stays firing, without telling anyone again, for as long as the condition holds;
 * the first window that does not breach resolves it. So flapping input fires at most once per cooldown, and not
 * at all while it never holds for `pendingWindows` windows running.
 */
export function nextProgress(progress: RuleProgress, breached: boolean | null, windowEnd: Date, policy: StatePolicy): StateStep {
  if (breached === null) {
    return { progress: { state: 'no_data', consecutiveBreaches: 0, lastFiredAt: progress.lastFiredAt }, notify: null };
  }
  if (!breached) {
    const state = progress.state === 'firing' ? 'resolved' : 'ok';
    return { progress: { state, consecutiveBreaches: 0, lastFiredAt: progress.lastFiredAt }, notify: state === 'resolved' ? 'resolved' : null };
  }
  const consecutiveBreaches = progress.consecutiveBreaches + 1;
  if (progress.state === 'firing') return { progress: { ...progress, consecutiveBreaches }, notify: null };
  const cooledDown = progress.lastFiredAt === null || windowEnd.getTime() - progress.lastFiredAt.getTime() >= policy.cooldownMs;
  if (consecutiveBreaches >= policy.pendingWindows && cooledDown) {
    return { progress: { state: 'firing', consecutiveBreaches, lastFiredAt: windowEnd }, notify: 'firing' };
  }
  return { progress: { state: 'pending', consecutiveBreaches, lastFiredAt: progress.lastFiredAt }, notify: null };
}
