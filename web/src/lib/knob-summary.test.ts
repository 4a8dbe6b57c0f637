import { expect, it } from 'vitest';
import { knobSummary } from './knob-summary.ts';

it("names a run's knobs as the page does, with their units", () => {
  expect(knobSummary('traffic-spike', { durationSeconds: 30, multiplier: 4 })).toBe('Duration 30 s · Peak 4 ×');
});
