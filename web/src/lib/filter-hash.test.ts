import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_FILTERS, type TFilter, type TFilters } from '@pulse/shared/filters';
import { filtersFromQuery, filtersToQuery } from './filter-hash.ts';
import { hrefFor, splitHash } from './routes.ts';

/** Text that troubles an address: its own separators, escapes, and what a parser might take for code or keys. */
const HOSTILE = [
  ':',
  'a:b:c',
  '&filter=country:is:FR',
  '=',
  '#/keys',
  '?',
  '%',
  '%ZZ',
  '%3A',
  '+',
  ' leading and trailing ',
  '\u0000',
  'line\nbreak',
  '👩‍👩‍👧‍👦',
  '\u202Egnp.exe',
  '__proto__',
  '"quoted"',
  '../../etc/passwd',
];

/** The address a filtered Overview gets, read back as the page does on load. */
const throughAddress = (filters: TFilters) => filtersFromQuery(splitHash(hrefFor('overview', filtersToQuery(filters))).query);

const text = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }));
const arbitraryFilter: fc.Arbitrary<TFilter> = fc.oneof(
  fc.record({
    field: fc.constantFrom('name', 'country', 'browser', 'os', 'device', 'referrerSource', 'utmSource', 'utmMedium', 'utmCampaign'),
    operator: fc.constantFrom('is', 'isNot'),
    value: text,
  }),
  fc.record({ field: fc.constant('path'), operator: fc.constantFrom('is', 'isNot', 'contains', 'notContains', 'startsWith'), value: text }),
  fc.record({ field: fc.constant('property'), key: text, operator: fc.constantFrom('is', 'isNot', 'contains', 'notContains', 'startsWith'), value: text }),
  fc.record({ field: fc.constant('property'), key: text, operator: fc.constantFrom('isSet', 'isNotSet') }),
  fc.record({
    field: fc.constant('property'),
    key: text,
    operator: fc.constantFrom('gt', 'gte', 'lt', 'lte'),
    // -0 compares as 0 does, and the address writes it so.
    value: fc.double({ noNaN: true, noDefaultInfinity: true }).map((number) => (number === 0 ? 0 : number)),
  }),
) as fc.Arbitrary<TFilter>;

describe('filters in the address', () => {
  it('come back exactly as they went, whatever their keys and values hold', () => {
    fc.assert(
      fc.property(fc.array(arbitraryFilter, { maxLength: MAX_FILTERS }), (filters) => {
        expect(throughAddress(filters)).toEqual(filters);
      }),
    );
  });

  it('keep a value that looks like another filter inside its own', () => {
    const filters: TFilters = [{ field: 'country', operator: 'is', value: '&filter=country:is:FR#/keys' }];
    expect(throughAddress(filters)).toEqual(filters);
    expect(hrefFor('overview', filtersToQuery(filters))).toMatch(/^#\/overview\?filter=[^#&]*$/);
  });

  it('name no query at all without filters', () => {
    expect(hrefFor('overview', filtersToQuery([]))).toBe('#/overview');
    expect(filtersFromQuery('')).toEqual([]);
  });

  it('leave out what the API would refuse, and anything past the tenth', () => {
    const query = [
      'filter=country:contains:D',
      'filter=country:is:',
      'filter=bogus:is:x',
      'filter=property:amount:gt:lots',
      'filter=property:%E0%A4%A:is:x',
      'filter=property:plan:isSet:extra',
      'filter=path:startsWith:/docs',
      'unrelated=1',
    ].join('&');
    expect(filtersFromQuery(query)).toEqual([{ field: 'path', operator: 'startsWith', value: '/docs' }]);
    const many = Array.from({ length: MAX_FILTERS + 3 }, (_, index) => `filter=name:is:event-${index}`).join('&');
    expect(filtersFromQuery(many)).toHaveLength(MAX_FILTERS);
  });
});
