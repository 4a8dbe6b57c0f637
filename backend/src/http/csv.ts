/**
 * CSV text per RFC 4180: fields separated by commas, lines ended by CRLF, a field holding a comma, a double
 * quote or a line break enclosed in double quotes with its quotes doubled. Text that a spreadsheet would run as
 * a formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe, OWASP's advice
 * against CSV injection: an event's path or property is whatever a visitor's browser sent.
 */

/** A UTF-8 byte order mark: without it Excel reads a CSV in the machine's legacy code page, and "München" breaks. */
export const UTF8_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field: empty for null, numbers and booleans as JSON writes them, objects as JSON, text neutralised. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One record, with its line end. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
