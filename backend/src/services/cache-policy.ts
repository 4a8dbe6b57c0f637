import type { CacheTier } from '../infra/cache/tag-cache.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const tagsByDayNumber = new Map<number, string>();

/** The tag of one UTC day of a tenant's events: a commit touching that day retires every answer carrying it. */
export function dayTag(time: Date | number): string {
  const dayNumber = Math.floor(new Date(time).getTime() / DAY_MS);
  let tag = tagsByDayNumber.get(dayNumber);
  if (tag === undefined) {
    // Formatting dates was a visible cost of every cached read (a 30-day summary carries 60 tags).
    tag = `day:${new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)}`;
    if (tagsByDayNumber.size > 10_000) tagsByDayNumber.clear();
    tagsByDayNumber.set(dayNumber, tag);
  }
  return tag;
}

/** The tags of every UTC day that [from, to) overlaps: an answer over the range depends on exactly those. */
export function dayTags(from: Date, to: Date): string[] {
  const tags: string[] = [];
  for (let day = Math.floor(from.getTime() / DAY_MS) * DAY_MS; day < to.getTime(); day += DAY_MS) tags.push(dayTag(day));
  return tags;
}

/** The distinct day tags of a set of event times (what a commit invalidates). */
export const dayTagsOf = (times: Iterable<Date>): string[] => [...new Set([...times].map(dayTag))];

/**
 * How long an answer may be cached follows the age of the data asked for: a range ending within the last
 * hour is still filling up (live); one ending within the last week may still get late events (recent).
 */
export function cacheTierFor(rangeEnd: Date, now = Date.now()): CacheTier {
  const age = now - rangeEnd.getTime();
  if (age < HOUR_MS) return 'live';
  return age < 7 * DAY_MS ? 'recent' : 'archive';
}
