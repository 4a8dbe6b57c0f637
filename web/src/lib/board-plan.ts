import { MAX_BOARDS_BY_PLAN, type TPlan } from '@pulse/shared/plans';

/** Boards a plan allows (null: no limit); a plan this build does not know is held to the smallest, as the server holds it. */
export function boardLimitOf(plan: string): number | null {
  return MAX_BOARDS_BY_PLAN[Object.hasOwn(MAX_BOARDS_BY_PLAN, plan) ? (plan as TPlan) : 'free'];
}

/** "2 of 3 boards (free plan)", or "5 boards (enterprise plan: no limit)". */
export function boardAllowance(count: number, plan: string): string {
  const limit = boardLimitOf(plan);
  if (limit === null) return `${count} board${count === 1 ? '' : 's'} (${plan} plan: no limit)`;
  return `${count} of ${limit} board${limit === 1 ? '' : 's'} (${plan} plan)`;
}
