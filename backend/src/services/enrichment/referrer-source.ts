export type ReferrerKind = 'search' | 'social' | 'link';

interface KnownSource {
  name: string;
  kind: Exclude<ReferrerKind, 'link'>;
  /**
   * A domain matches itself and its subdomains (l.facebook.com); one ending in ".*" matches that name under any
   * country domain (google.de, google.co.uk) but not its subdomains: accounts.google.com is a sign-in, not a search.
   */
  hosts: readonly string[];
}

const KNOWN_SOURCES: readonly KnownSource[] = [
  { name: 'Google', kind: 'search', hosts: ['google.*'] },
  { name: 'Bing', kind: 'search', hosts: ['bing.com'] },
  { name: 'DuckDuckGo', kind: 'search', hosts: ['duckduckgo.com'] },
  { name: 'Yahoo', kind: 'search', hosts: ['search.yahoo.com', 'search.yahoo.co.jp'] },
  { name: 'Yandex', kind: 'search', hosts: ['yandex.*', 'ya.ru'] },
  { name: 'Baidu', kind: 'search', hosts: ['baidu.com'] },
  { name: 'Ecosia', kind: 'search', hosts: ['ecosia.org'] },
  { name: 'Brave Search', kind: 'search', hosts: ['search.brave.com'] },
  { name: 'Facebook', kind: 'social', hosts: ['facebook.com'] },
  { name: 'Instagram', kind: 'social', hosts: ['instagram.com'] },
  { name: 'Twitter', kind: 'social', hosts: ['twitter.com', 'x.com', 't.co'] },
  { name: 'LinkedIn', kind: 'social', hosts: ['linkedin.com', 'lnkd.in'] },
  { name: 'Reddit', kind: 'social', hosts: ['reddit.com'] },
  { name: 'YouTube', kind: 'social', hosts: ['youtube.com', 'youtu.be'] },
  { name: 'Pinterest', kind: 'social', hosts: ['pinterest.*'] },
  { name: 'TikTok', kind: 'social', hosts: ['tiktok.com'] },
  { name: 'Hacker News', kind: 'social', hosts: ['news.ycombinator.com'] },
  { name: 'GitHub', kind: 'social', hosts: ['github.com'] },
];

/** Browsers send another site only its origin by default; a referrer longer than this is junk, not worth parsing. */
const MAX_REFERRER_LENGTH = 2048;

const MATCHERS = KNOWN_SOURCES.map(({ name, hosts }) => ({ name, pattern: new RegExp(hosts.map(hostPattern).join('|')) }));
const KIND_OF_SOURCE = new Map(KNOWN_SOURCES.map(({ name, kind }) => [name, kind]));

/**
 * Where a visit came from: a known search engine or social network by name ("Google"), any other site by its host
 * ("blog.example.com"); null with no referrer, a non-web one (android-app://…), or one on the page's own site.
 */
export function referrerSource(referrer: string | undefined, pageUrl: string | undefined): string | null {
  if (referrer === undefined || referrer.length > MAX_REFERRER_LENGTH) return null;
  const referring = URL.parse(referrer);
  if (referring === null || (referring.protocol !== 'http:' && referring.protocol !== 'https:')) return null;
  const host = withoutWww(referring.hostname);
  const pageHost = pageUrl === undefined ? undefined : URL.parse(pageUrl)?.hostname;
  if (pageHost !== undefined && withoutWww(pageHost) === host) return null;
  return MATCHERS.find(({ pattern }) => pattern.test(host))?.name ?? host;
}

/** Whether a `referrerSource` answer is a search engine, a social network, or a plain link from another site. */
export function referrerKind(source: string): ReferrerKind {
  return KIND_OF_SOURCE.get(source) ?? 'link';
}

function hostPattern(host: string): string {
  const countryWide = host.endsWith('.*');
  const domain = (countryWide ? host.slice(0, -2) : host).replaceAll('.', '\\.');
  return countryWide ? `^${domain}\\.(?:com?\\.)?[a-z]{2,3}$` : `(?:^|\\.)${domain}$`;
}

function withoutWww(hostname: string): string {
  return hostname.startsWith('www.') ? hostname.slice(4) : hostname;
}
