import { expect, it } from 'vitest';
import { OutageEpoch } from './outage-epoch.ts';

it('serves memory copies for the outage TTL after the later of their computation and the outage start', () => {
  let now = 10_000;
  const epoch = new OutageEpoch(2_000, () => now);
  expect(epoch.admits(1_000)).toBe(true);
  expect(epoch.lifetimeMs(1_000, 3_600_000)).toBe(3_600_000);

  epoch.lost(now);
  now = 11_000;
  expect(epoch.admits(1_000)).toBe(true);
  expect(epoch.lifetimeMs(1_000, 3_600_000)).toBe(1_000);
  now = 12_000;
  expect(epoch.admits(1_000)).toBe(false);
  expect(epoch.admits(11_500)).toBe(true);
  expect(epoch.lifetimeMs(11_500, 3_600_000)).toBe(1_500);
  now = 13_500;
  expect(epoch.admits(11_500)).toBe(false);
});

it('retires everything computed before Redis came back, and nothing computed after', () => {
  let now = 10_000;
  const epoch = new OutageEpoch(2_000, () => now);
  epoch.lost(9_000);
  epoch.lost(9_500);
  now = 60_000;
  epoch.restored();
  expect(epoch.inOutage).toBe(false);
  expect(epoch.admits(8_000)).toBe(false);
  expect(epoch.admits(59_999)).toBe(false);
  expect(epoch.admits(60_000)).toBe(true);
  now = 4_000_000;
  expect(epoch.admits(60_000)).toBe(true);
});
