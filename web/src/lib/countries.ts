const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const ISO_ALPHA_2 = /^[A-Z]{2}$/;
/** Regional indicator A (U+1F1E6) minus "A": two of them, one per letter, make a flag emoji. */
const REGIONAL_INDICATOR_OFFSET = 0x1f1e6 - 'A'.charCodeAt(0);

export interface TCountryLabel {
  code: string;
  /** English name, or undefined for codes Intl does not know (e.g. "XX" for unknown). */
  name: string | undefined;
  flag: string | undefined;
}

/** "DE" → Germany and its flag; anything not an ISO 3166-1 alpha-2 code is shown as it came. */
export function countryLabel(value: string): TCountryLabel {
  const code = value.trim().toUpperCase();
  if (!ISO_ALPHA_2.test(code)) return { code: value, name: undefined, flag: undefined };
  const name = REGION_NAMES.of(code);
  const flag = name ? String.fromCodePoint(...[...code].map((letter) => letter.charCodeAt(0) + REGIONAL_INDICATOR_OFFSET)) : undefined;
  return { code, name, flag };
}
