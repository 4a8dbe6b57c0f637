export interface Campaign {
  source: string | null;
  medium: string | null;
  campaign: string | null;
}

/** What of an event's context tells its campaign: Segment's and RudderStack's SDKs fill `campaign`, Pulse's tracker only `page`. */
export interface CampaignContext {
  campaign?: { source?: unknown; medium?: unknown; name?: unknown };
  page?: { url?: string; search?: string };
}

/** UTM values are dashboard labels; no real one comes near this. */
const MAX_VALUE_LENGTH = 200;

/** Lets a page URL without scheme and host ("/pricing?utm_source=x") still give its query. */
const PLACEHOLDER_BASE = 'http://page.invalid';

/** The UTM source, medium and campaign: the SDK's parsed `campaign` where it has them, else the page URL's query. */
export function campaignOf(context: CampaignContext | undefined): Campaign {
  const parsed = context?.campaign;
  const query = new URLSearchParams(queryOf(context?.page));
  return {
    source: tidy(parsed?.source) ?? tidy(query.get('utm_source')),
    medium: tidy(parsed?.medium) ?? tidy(query.get('utm_medium')),
    campaign: tidy(parsed?.name) ?? tidy(query.get('utm_campaign')),
  };
}

function queryOf(page: CampaignContext['page']): string {
  const url = page?.url === undefined ? null : URL.parse(page.url, PLACEHOLDER_BASE);
  return url?.search || (page?.search ?? '');
}

function tidy(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return value.trim().slice(0, MAX_VALUE_LENGTH).trim() || null;
}
