import { describe, expect, it } from 'vitest';
import { filterByLabel, filterLabel, operatorsFor, sameFilter } from './filter-labels.ts';

describe('filter chips', () => {
  it('name the field, the operator and the value as people read them', () => {
    expect(filterLabel({ field: 'country', operator: 'is', value: 'DE' })).toBe('Country is Germany');
    expect(filterLabel({ field: 'country', operator: 'isNot', value: 'Atlantis' })).toBe('Country is not Atlantis');
    expect(filterLabel({ field: 'path', operator: 'startsWith', value: '/docs' })).toBe('Page starts with /docs');
    expect(filterLabel({ field: 'name', operator: 'is', value: 'signup' })).toBe('Event is signup');
    expect(filterLabel({ field: 'utmSource', operator: 'is', value: 'newsletter' })).toBe('UTM source is newsletter');
    expect(filterLabel({ field: 'property', key: 'plan', operator: 'isSet' })).toBe('Property plan is set');
    expect(filterLabel({ field: 'property', key: 'amount', operator: 'gte', value: 10 })).toBe('Property amount ≥ 10');
  });

  it('rows say what a click does, with the value as stored', () => {
    expect(filterByLabel('country', 'DE')).toBe('Filter by Country DE');
  });
});

describe('operators offered', () => {
  it('are the ones the API takes for the field', () => {
    expect(operatorsFor('country')).toEqual(['is', 'isNot']);
    expect(operatorsFor('path')).toEqual(['is', 'isNot', 'contains', 'notContains', 'startsWith']);
    expect(operatorsFor('property')).toEqual(expect.arrayContaining(['isSet', 'isNotSet', 'gt', 'gte', 'lt', 'lte', 'contains']));
  });
});

describe('the same filter twice', () => {
  it('is told apart by field, property key, operator and value', () => {
    expect(sameFilter({ field: 'country', operator: 'is', value: 'DE' }, { field: 'country', operator: 'is', value: 'DE' })).toBe(true);
    expect(sameFilter({ field: 'country', operator: 'is', value: 'DE' }, { field: 'country', operator: 'isNot', value: 'DE' })).toBe(false);
    expect(sameFilter({ field: 'property', key: 'a', operator: 'isSet' }, { field: 'property', key: 'b', operator: 'isSet' })).toBe(false);
  });
});
