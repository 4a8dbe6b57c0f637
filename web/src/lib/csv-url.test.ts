import { expect, it } from 'vitest';
import { csvUrl } from './csv-url.ts';

/** What a server reading the address gets: the procedure from the path, the input parsed from its JSON. */
function asServerReadsIt(href: string) {
  const url = new URL(href, 'https://pulse.example');
  const [, api, csv, procedure, ...rest] = url.pathname.split('/');
  return { origin: url.origin, api, csv, procedure: decodeURIComponent(procedure!), rest, input: JSON.parse(url.searchParams.get('input')!) as unknown };
}

it('names the procedure in the path and carries its input, whatever the input holds, on the same origin', () => {
  const input = {
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-01-02T00:00:00.000Z',
    steps: [
      { kind: 'page', path: '/a?b=c&input=x#frag', match: 'startsWith' },
      { kind: 'event', name: 'plus+percent% space é 👩‍👩‍👧' },
    ],
  };
  const href = csvUrl('analytics.funnel', input);
  expect(href.startsWith('/api/csv/analytics.funnel?input=')).toBe(true);
  expect(asServerReadsIt(href)).toEqual({ origin: 'https://pulse.example', api: 'api', csv: 'csv', procedure: 'analytics.funnel', rest: [], input });
});

it('has no query without an input, and keeps a strange procedure name inside its path segment', () => {
  expect(csvUrl('analytics.goals', undefined)).toBe('/api/csv/analytics.goals');
  expect(asServerReadsIt(csvUrl('../keys?x=1', {})).procedure).toBe('../keys?x=1');
});
