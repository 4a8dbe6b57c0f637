const MINUTE_SECONDS = 60;
const HOUR_MINUTES = 60;
const DAY_HOURS = 24;

/** Two units, the second left out when it is zero: "1 h 5 min", "2 h". */
const pair = (major: number, majorUnit: string, minor: number, minorUnit: string) =>
  minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;

/**
 * A span of time as people say it, to its two largest units: "42 s", "3 min", "1 h 5 min", "2 d 3 h". Each unit
 * is rounded to the nearest whole one (59.6 s is "1 min"); under half a second but more than none is "< 1 s".
 */
export function formatTimeSpan(seconds: number): string {
  const wholeSeconds = Math.round(seconds);
  if (wholeSeconds === 0 && seconds > 0) return '< 1 s';
  if (wholeSeconds < MINUTE_SECONDS) return `${wholeSeconds} s`;
  const minutes = Math.round(seconds / MINUTE_SECONDS);
  if (minutes < HOUR_MINUTES) return `${minutes} min`;
  if (minutes < DAY_HOURS * HOUR_MINUTES) return pair(Math.floor(minutes / HOUR_MINUTES), 'h', minutes % HOUR_MINUTES, 'min');
  const hours = Math.round(seconds / (MINUTE_SECONDS * HOUR_MINUTES));
  return pair(Math.floor(hours / DAY_HOURS), 'd', hours % DAY_HOURS, 'h');
}
