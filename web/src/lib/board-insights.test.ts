import { describe, expect, it } from 'vitest';
import { INSIGHT_PROCEDURES, RANGE_PRESETS, ZInsightInput, ZTileInput } from '@pulse/shared/boards';
import {
  defaultTitle,
  describeInsight,
  granularitiesFor,
  granularityFor,
  INSIGHT_KINDS,
  insightOf,
  newInsightForm,
  newTileId,
  type TInsightForm,
} from './board-insights.ts';

const form = (changes: Partial<TInsightForm>): TInsightForm => ({ ...newInsightForm('Europe/Berlin'), ...changes });

/** The form filled in as a user would for each insight. */
const FILLED: Record<string, Partial<TInsightForm>> = {
  'analytics.timeseries': { eventName: 'signup', granularity: 'hour', rangePreset: '24h' },
  'analytics.breakdown': { by: 'browser' },
  'analytics.propertyBreakdown': { propertyKey: ' plan ' },
  'analytics.funnel': { steps: ['visit', '', 'signup', 'purchase'] },
};

describe('insightOf', () => {
  it.each(INSIGHT_PROCEDURES)('builds a %s question the API accepts as it is', (procedure) => {
    const built = insightOf(form({ procedure, ...FILLED[procedure], filters: [{ field: 'country', operator: 'is', value: 'DE' }] }));
    expect('insight' in built).toBe(true);
    if (!('insight' in built)) return;
    const checked = ZInsightInput.safeParse(built.insight);
    expect(checked.error?.issues).toBeUndefined();
    // Defaults the API fills in aside, what it keeps is what the form asked.
    expect(checked.data!.input).toMatchObject(built.insight.input);
    expect(built.insight.input.filters).toEqual([{ field: 'country', operator: 'is', value: 'DE' }]);
  });

  it('asks exactly what was chosen', () => {
    expect(insightOf(form({ procedure: 'analytics.funnel', ...FILLED['analytics.funnel'] }))).toEqual({
      insight: {
        procedure: 'analytics.funnel',
        rangePreset: '7d',
        input: {
          steps: [
            { kind: 'event', name: 'visit' },
            { kind: 'event', name: 'signup' },
            { kind: 'event', name: 'purchase' },
          ],
        },
      },
    });
    expect(insightOf(form({ procedure: 'analytics.timeseries', granularity: 'day' }))).toEqual({
      insight: { procedure: 'analytics.timeseries', rangePreset: '7d', input: { granularity: 'day', timeZone: 'Europe/Berlin' } },
    });
    expect(insightOf(form({ procedure: 'analytics.propertyBreakdown', propertyKey: ' plan ' }))).toMatchObject({ insight: { input: { key: 'plan' } } });
  });

  it('says what is missing instead of asking an incomplete question', () => {
    expect(insightOf(form({ procedure: 'analytics.propertyBreakdown', propertyKey: '  ' }))).toEqual({ missing: 'choose a property key' });
    expect(insightOf(form({ procedure: 'analytics.funnel', steps: ['signup', ' '] }))).toEqual({ missing: 'choose at least 2 steps' });
  });
});

describe('granularities', () => {
  it('charts each preset by a granularity it offers, hours for a day and days for a week or more', () => {
    for (const preset of RANGE_PRESETS) expect(granularitiesFor(preset)).toContain(granularityFor(preset));
    expect(granularityFor('today')).toBe('hour');
    expect(granularityFor('7d')).toBe('day');
    expect(granularitiesFor('90d')).not.toContain('minute');
  });
});

describe('titles and descriptions', () => {
  it('names a new tile after what it asks', () => {
    expect(defaultTitle(form({ procedure: 'analytics.breakdown', by: 'country' }))).toBe('Events by country');
    expect(defaultTitle(form({ procedure: 'analytics.funnel', steps: ['visit', '', 'signup'] }))).toBe('Funnel: visit → signup');
    expect(defaultTitle(form({ procedure: 'analytics.timeseries', eventName: 'signup' }))).toBe('signup over time');
    expect(defaultTitle(form({ procedure: 'analytics.topPages' }))).toBe(INSIGHT_KINDS['analytics.topPages'].label);
  });

  it('describes a saved tile, and one of an insight this build does not know by its procedure', () => {
    expect(describeInsight({ procedure: 'analytics.breakdown', input: { by: 'utmSource', filters: [{}, {}] } })).toBe('Breakdown by UTM source, 2 filters');
    expect(describeInsight({ procedure: 'analytics.propertyBreakdown', input: { key: 'plan' } })).toBe('Property breakdown of plan');
    expect(describeInsight({ procedure: 'analytics.someday', input: {} })).toBe('analytics.someday');
  });
});

describe('newTileId', () => {
  it('makes ids the API takes as a tile id, a new one each time', () => {
    const ids = Array.from({ length: 200 }, newTileId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      const checked = ZTileInput.safeParse({
        id,
        title: 't',
        layout: { x: 0, y: 0, w: 3, h: 3 },
        insight: { procedure: 'analytics.summary', input: {}, rangePreset: '7d' },
      });
      expect(checked.error?.issues).toBeUndefined();
    }
  });
});
