import { expect, it } from 'vitest';
import { MemoryCache } from './memory-cache.ts';

it('stays within its size bound, dropping the least recently written key', async () => {
  const cache = new MemoryCache(2);
  await cache.set('a', '1', 60);
  await cache.set('b', '2', 60);
  await cache.set('c', '3', 60);
  expect(await cache.get('a')).toBeNull();
  expect(await cache.get('b')).toBe('2');
  expect(await cache.get('c')).toBe('3');
});

it('expires by its clock', async () => {
  let now = 1_000;
  const cache = new MemoryCache(10, () => now);
  await cache.set('a', '1', 5);
  now += 4_999;
  expect(await cache.get('a')).toBe('1');
  now += 1;
  expect(await cache.get('a')).toBeNull();
});
