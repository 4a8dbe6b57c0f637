import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TEventMatch } from '@pulse/shared/event-match';
import type { TFilter } from '@pulse/shared/filters';
import { FUNNEL_BREAKDOWN_COLUMNS, FUNNEL_LIMITS, type TFunnelBreakdown } from '@pulse/shared/funnels';
import { funnelFromQuery, funnelToQuery, type TFunnelDefinition } from './funnel-hash.ts';
import { hrefFor, splitHash } from './routes.ts';

/** The address a funnel gets, read back as the page does on load. */
const throughAddress = (funnel: TFunnelDefinition) => funnelFromQuery(splitHash(hrefFor('funnels', funnelToQuery(funnel))).query);

/** Text that troubles an address or this encoding: its separators, escapes, and names of its own parameters. */
const HOSTILE = [
  ':',
  'a:b:c',
  'page:is:/x',
  '&step=event:x',
  'step1.filter=name:is:x',
  'filter=name:is:x',
  '=',
  '#/keys',
  '?',
  '%',
  '%ZZ',
  '+',
  ' padded ',
  '👩‍👩‍👧‍👦',
];
const storable = (text: string) => !text.includes('\u0000') && !/\p{Surrogate}/u.test(text);
const text = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).filter(storable));

const stepFilter: fc.Arbitrary<TFilter> = fc.oneof(
  fc.record({ field: fc.constantFrom('country', 'device'), operator: fc.constantFrom('is', 'isNot'), value: text }),
  fc.record({ field: fc.constant('property'), key: text, operator: fc.constantFrom('is', 'contains'), value: text }),
  fc.record({ field: fc.constant('property'), key: text, operator: fc.constant('isSet') }),
  fc.record({ field: fc.constant('property'), key: text, operator: fc.constant('gte'), value: fc.integer() }),
) as fc.Arbitrary<TFilter>;

const withFilters = <TStep extends TEventMatch>(step: TStep, filters: TFilter[]): TStep => (filters.length > 0 ? { ...step, filters } : step);
const step: fc.Arbitrary<TEventMatch> = fc
  .tuple(
    fc.oneof(
      fc.record({ kind: fc.constant('event' as const), name: text }),
      fc.record({ kind: fc.constant('page' as const), path: text, match: fc.constantFrom('is' as const, 'startsWith' as const, 'contains' as const) }),
    ),
    fc.array(stepFilter, { maxLength: 3 }),
  )
  .map(([match, filters]) => withFilters<TEventMatch>(match, filters));

const breakdown: fc.Arbitrary<TFunnelBreakdown | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(...FUNNEL_BREAKDOWN_COLUMNS),
  fc.record({ property: text }),
);

const funnel: fc.Arbitrary<TFunnelDefinition> = fc
  .record({
    steps: fc.array(step, { minLength: FUNNEL_LIMITS.minSteps, maxLength: FUNNEL_LIMITS.maxSteps }),
    windowSeconds: fc.integer({ min: FUNNEL_LIMITS.minWindowSeconds, max: FUNNEL_LIMITS.maxWindowSeconds }),
    breakdown,
    filters: fc.array(stepFilter, { maxLength: 3 }),
  })
  .map(({ breakdown: by, filters, ...rest }) => ({ ...rest, ...(by === undefined ? {} : { breakdown: by }), ...(filters.length > 0 ? { filters } : {}) }));

const SIGNUP_FUNNEL: TFunnelDefinition = {
  steps: [
    { kind: 'page', path: '/pricing', match: 'is' },
    { kind: 'event', name: 'signup' },
  ],
  windowSeconds: 3_600,
};

describe('a funnel in the address', () => {
  it('comes back exactly as it went, whatever its names, paths, filters and breakdown hold', () => {
    fc.assert(
      fc.property(funnel, (definition) => {
        expect(throughAddress(definition)).toEqual(definition);
      }),
    );
  });

  it('reads as its steps, window and breakdown', () => {
    expect(hrefFor('funnels', funnelToQuery({ ...SIGNUP_FUNNEL, breakdown: 'country' }))).toBe(
      '#/funnels?step=page%3Ais%3A%2Fpricing&step=event%3Asignup&window=3600&breakdown=country',
    );
  });

  it('is no funnel at all when a step, a step filter or a whole-funnel filter is one the API would refuse', () => {
    expect(funnelFromQuery('')).toBeNull();
    expect(funnelFromQuery('step=event:signup')).toBeNull();
    expect(funnelFromQuery(`${'step=event:a&'.repeat(FUNNEL_LIMITS.maxSteps)}step=event:b`)).toBeNull();
    for (const bad of ['event:', 'event', 'page:is', 'page:exactly:/x', 'page:is:', 'screen:home', 'event:nul\u0000']) {
      expect(funnelFromQuery(`step=event:a&step=${encodeURIComponent(bad)}`), bad).toBeNull();
    }
    expect(funnelFromQuery('step=event:a&step=event:b&step2.filter=country:contains:D')).toBeNull();
    expect(funnelFromQuery('step=event:a&step=event:b&filter=country:contains:D')).toBeNull();
    expect(funnelFromQuery('step=event:a&step=event:b&filter=country:is:DE')?.filters).toEqual([{ field: 'country', operator: 'is', value: 'DE' }]);
    expect(funnelFromQuery('step=event:a&step=event:b&step2.filter=country:is:DE')?.steps[1]).toEqual({
      kind: 'event',
      name: 'b',
      filters: [{ field: 'country', operator: 'is', value: 'DE' }],
    });
  });

  it("takes the API's default for a window it would refuse, and no breakdown for one it does not know", () => {
    const steps = 'step=event:a&step=event:b';
    for (const window of ['', 'window=', 'window=59', 'window=1.5', 'window=day', `window=${FUNNEL_LIMITS.maxWindowSeconds + 1}`]) {
      expect(funnelFromQuery(`${steps}&${window}`)?.windowSeconds, window).toBe(FUNNEL_LIMITS.defaultWindowSeconds);
    }
    expect(funnelFromQuery(`${steps}&breakdown=planet`)).not.toHaveProperty('breakdown');
    expect(funnelFromQuery(`${steps}&breakdown=property:`)).not.toHaveProperty('breakdown');
    expect(funnelFromQuery(`${steps}&breakdown=property:plan:tier`)?.breakdown).toEqual({ property: 'plan:tier' });
  });
});
