import { expect, it } from 'vitest';
import { formatPercent } from './percent.ts';

it('shows a fraction as a percentage with at most one decimal', () => {
  expect([0, 1, 1 / 3, 2 / 3, 0.5, 0.0004, 0.999_9].map(formatPercent)).toEqual(['0%', '100%', '33.3%', '66.7%', '50%', '0%', '100%']);
});
