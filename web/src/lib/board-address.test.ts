import { describe, expect, it } from 'vitest';
import { boardIdInQuery, boardQuery } from './board-address.ts';

describe('the board in the address', () => {
  it('reads back the board it wrote', () => {
    expect(boardIdInQuery(boardQuery(42))).toBe(42);
    expect(boardQuery(undefined)).toBe('');
    expect(boardIdInQuery('')).toBeUndefined();
  });

  it('names no board for anything but a positive whole number', () => {
    for (const value of ['0', '-1', '1.5', 'abc', '1e3', '99999999999']) expect(boardIdInQuery(`board=${value}`)).toBeUndefined();
  });
});
