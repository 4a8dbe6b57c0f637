/** Coarse browser and device classes from a User-Agent string; enough for breakdowns, not for fingerprinting. */
const BROWSER_PATTERNS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  ['Edge', /Edg\//],
  ['Opera', /OPR\//],
  ['Chrome', /Chrome\//],
  ['Firefox', /Firefox\//],
  ['Safari', /Safari\//],
];

export function browserFromUserAgent(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  return BROWSER_PATTERNS.find(([, pattern]) => pattern.test(userAgent))?.[0] ?? 'Other';
}

export function deviceFromUserAgent(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  if (/iPad|Tablet/.test(userAgent)) return 'tablet';
  return /Mobi|Android|iPhone/.test(userAgent) ? 'mobile' : 'desktop';
}
