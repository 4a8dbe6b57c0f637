import { getPattern } from 'isbot';
import { LRUCache } from 'lru-cache';
import { UAParser } from 'ua-parser-js';

export interface UserAgentInfo {
  browser: string | null;
  os: string | null;
  device: 'desktop' | 'mobile' | 'tablet' | 'tv' | 'console' | 'wearable' | null;
  /** The crawler's own name ("Googlebot", "curl"); null for a person's browser. */
  bot: string | null;
}

/** Real user agents are 100–300 characters; past this a header names nothing new, only costs parsing time. */
const MAX_USER_AGENT_LENGTH = 512;

const UNKNOWN: UserAgentInfo = Object.freeze({ browser: null, os: null, device: null, bot: null });

/** ua-parser 1.x's names as a dashboard shows them; names not listed (Facebook, Samsung Internet, …) are kept. */
const BROWSER_NAMES: Readonly<Record<string, string>> = {
  'Mobile Safari': 'Safari',
  'Chrome WebView': 'Chrome',
  'Chrome Headless': 'Chrome',
  'Opera GX': 'Opera',
  'Opera Mobi': 'Opera',
  'Opera Touch': 'Opera',
  'Firefox Focus': 'Firefox',
  UCBrowser: 'UC Browser',
  GSA: 'Google App',
};

/** The same for operating systems; the Linux distributions that name themselves in browsers' user agents fold into Linux. */
const OS_NAMES: Readonly<Record<string, string>> = {
  'Mac OS': 'macOS',
  'Chromium OS': 'Chrome OS',
  Ubuntu: 'Linux',
  Fedora: 'Linux',
  Debian: 'Linux',
};

const DESKTOP_OSES = new Set(['Windows', 'macOS', 'Linux', 'Chrome OS']);

const DEVICE_OF_TYPE: Readonly<Record<string, UserAgentInfo['device']>> = {
  mobile: 'mobile',
  tablet: 'tablet',
  smarttv: 'tv',
  console: 'console',
  wearable: 'wearable',
};

/** A crawler's name is a label in the browser breakdown; isbot also flags long unbroken junk. */
const MAX_CRAWLER_NAME_LENGTH = 50;

/** Tokens a bot pattern can land on that name no crawler. */
const GENERIC_TOKENS = new Set(['mozilla', 'compatible', 'http', 'https']);

// Traffic repeats the same few hundred user agents; parsing one costs tens of microseconds.
const described = new LRUCache<string, UserAgentInfo>({ max: 2_000 });

/** Browser, OS, device class and crawler name of a User-Agent header, in the words a dashboard shows. */
export function describeUserAgent(userAgent: string | undefined): UserAgentInfo {
  const considered = userAgent?.slice(0, MAX_USER_AGENT_LENGTH).trim();
  if (!considered) return UNKNOWN;
  let info = described.get(considered);
  if (info === undefined) {
    info = Object.freeze(parse(considered));
    described.set(considered, info);
  }
  return info;
}

function parse(userAgent: string): UserAgentInfo {
  const bot = crawlerName(userAgent);
  // A crawler's OS and device are whatever it imitates (Googlebot's smartphone agent claims Android).
  if (bot !== null) return { browser: bot, os: null, device: null, bot };
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const osName = osNameOf(os.name, os.version, device.model);
  return {
    browser: browser.name === undefined ? null : (BROWSER_NAMES[browser.name] ?? browser.name),
    os: osName,
    device: deviceOf(device.type, osName),
    bot: null,
  };
}

/**
 * The product token where isbot's pattern matched ("bingbot/2.0" → "bingbot"), "bot" when that token is generic.
 * The pattern is isbot's own (what `isbotMatch` uses), run here for the match's position.
 */
function crawlerName(userAgent: string): string | null {
  const match = getPattern().exec(userAgent);
  if (match === null) return null;
  const wordOffset = match[0].search(/\w/);
  if (wordOffset < 0) return 'bot';
  const wordAt = match.index + wordOffset;
  const tokenStart = userAgent.slice(0, wordAt).search(/[\w-]*$/);
  const token = /^[\w-]+/.exec(userAgent.slice(tokenStart))?.[0] ?? '';
  if (!GENERIC_TOKENS.has(token.toLowerCase())) return token.slice(0, MAX_CRAWLER_NAME_LENGTH);
  // "Mozilla/5.0 (compatible; Google-InspectionTool/1.0)": the name follows the convention's "compatible;".
  return /compatible; ?([\w-]+)/.exec(userAgent)?.[1] ?? 'bot';
}

function osNameOf(name: string | undefined, version: string | undefined, model: string | undefined): string | null {
  if (name === undefined) return null;
  // An iPad that asks for mobile pages still names itself; since iOS 13 its system is iPadOS.
  if (name === 'iOS' && model === 'iPad' && Number.parseInt(version ?? '', 10) >= 13) return 'iPadOS';
  return OS_NAMES[name] ?? name;
}

function deviceOf(type: string | undefined, os: string | null): UserAgentInfo['device'] {
  if (type !== undefined) return DEVICE_OF_TYPE[type] ?? null;
  // ua-parser calls an Android agent with the "Mobile" token a phone, even without a known model; one without is a tablet.
  if (os === 'Android') return 'tablet';
  return os !== null && DESKTOP_OSES.has(os) ? 'desktop' : null;
}
