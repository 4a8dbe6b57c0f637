import { expect, it } from 'vitest';
import type { TLiveDelta } from '@pulse/shared/live';
import { createLiveFeed } from './live-feed.ts';

const delta: TLiveDelta = { committedAt: '2026-12-04T20:00:00.000Z', accepted: 1, byType: [], events: [] };

it('hands each delta to every listener until it stops listening', () => {
  const feed = createLiveFeed();
  const heard: string[] = [];
  const stopFirst = feed.listen(() => heard.push('first'));
  feed.listen(() => heard.push('second'));
  feed.publish(delta);
  stopFirst();
  feed.publish(delta);
  expect(heard).toEqual(['first', 'second', 'second']);
});
