import { describe, expect, it } from 'vitest';
import { MAX_BOARDS_BY_PLAN } from '@pulse/shared/plans';
import { boardAllowance, boardLimitOf } from './board-plan.ts';

describe('boardAllowance', () => {
  it('counts the boards against the plan’s limit', () => {
    expect(boardAllowance(2, 'free')).toBe(`2 of ${MAX_BOARDS_BY_PLAN.free} boards (free plan)`);
    expect(boardAllowance(0, 'pro')).toBe(`0 of ${MAX_BOARDS_BY_PLAN.pro} boards (pro plan)`);
  });

  it('names no limit for a plan without one', () => {
    expect(boardAllowance(1, 'enterprise')).toBe('1 board (enterprise plan: no limit)');
    expect(boardAllowance(7, 'enterprise')).toBe('7 boards (enterprise plan: no limit)');
  });

  it('holds a plan it does not know to the smallest limit, as the server does', () => {
    expect(boardLimitOf('platinum')).toBe(MAX_BOARDS_BY_PLAN.free);
    expect(boardLimitOf('toString')).toBe(MAX_BOARDS_BY_PLAN.free);
  });
});
