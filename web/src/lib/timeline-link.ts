import { hrefFor, splitHash } from './routes.ts';

/** The Timeline page of one visitor: `#/timeline?visitor=<id>`, any id (spaces, `&`, `#`, emoji) kept whole. */
export function timelineHref(visitorId: string): string {
  return hrefFor('timeline', new URLSearchParams({ visitor: visitorId }).toString());
}

/** The visitor a `#/timeline?visitor=…` address names, or "" when it names none. */
export function visitorOfHash(hash: string): string {
  return new URLSearchParams(splitHash(hash).query).get('visitor') ?? '';
}
