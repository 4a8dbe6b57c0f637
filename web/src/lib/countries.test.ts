import { describe, expect, it } from 'vitest';
import { countryLabel } from './countries.ts';

describe('countryLabel', () => {
  it('names an ISO code and gives its flag', () => {
    expect(countryLabel('DE')).toEqual({ code: 'DE', name: 'Germany', flag: '🇩🇪' });
    expect(countryLabel('fr')).toEqual({ code: 'FR', name: 'France', flag: '🇫🇷' });
  });

  it('shows what it cannot name as it came, without a flag', () => {
    expect(countryLabel('Germany')).toEqual({ code: 'Germany', name: undefined, flag: undefined });
    expect(countryLabel('XX').flag).toBeUndefined();
  });
});
