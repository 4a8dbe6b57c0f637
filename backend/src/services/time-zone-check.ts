import { AppError } from '../errors/app-error.ts';

/**
 * Intl (which the schemas check) and PostgreSQL ship different zone databases: a name only Intl knows
 * ("US/Pacific-New") would fail in the query. Checked against PostgreSQL's own list, loaded once.
 */
export class TimeZoneCheck {
  /** PostgreSQL's time-zone names, lower-cased, once loaded. */
  private names: Promise<Set<string>> | null = null;

  constructor(private readonly loadNames: () => Promise<string[]>) {}

  async check(timeZone: string): Promise<void> {
    this.names ??= this.loadNames().then((names) => new Set(names.map((name) => name.toLowerCase())));
    let names: Set<string>;
    try {
      names = await this.names;
    } catch {
      // Not loaded (the database is out or busy): tried again next time; a cached answer may still serve this one.
      this.names = null;
      return;
    }
    if (!names.has(timeZone.toLowerCase())) {
      throw new AppError(
        'BAD_REQUEST',
        `invalid input: timeZone: "${timeZone}" is not a time zone the database knows; use a current IANA name such as "America/Los_Angeles" or "UTC"`,
      );
    }
  }
}
