import { describe, expect, it } from 'vitest';
import { pageQueryOf } from './routes.ts';
import { timelineHref, visitorOfQuery } from './timeline-link.ts';

const visitorOfHash = (hash: string) => visitorOfQuery(pageQueryOf(hash, 'timeline'));

describe('timeline links', () => {
  it('carry any visitor id through the address unchanged', () => {
    for (const id of ['user-42', 'a b&c=d#e?f', 'ünïcødé 😀', '%41', '+1']) expect(visitorOfHash(timelineHref(id))).toBe(id);
  });

  it('name no visitor when the address has none', () => {
    expect(visitorOfHash('#/timeline')).toBe('');
    expect(visitorOfHash('#/timeline?other=1')).toBe('');
  });
});
