import { hrefFor } from './routes.ts';

/** The Timeline page of one visitor: `#/timeline?visitor=<id>`, any id (spaces, `&`, `#`, emoji) kept whole. */
export function timelineHref(visitorId: string): string {
  return hrefFor('timeline', new URLSearchParams({ visitor: visitorId }).toString());
}

/** The visitor the Timeline page's query (`visitor=…`) names, or "" when it names none. */
export function visitorOfQuery(query: string): string {
  return new URLSearchParams(query).get('visitor') ?? '';
}
