import { describe, expect, it } from 'vitest';
import { describeUserAgent } from './user-agent.ts';

/** Real user agents of people's browsers, with what a dashboard should show for each. */
const PEOPLE = [
  {
    is: { browser: 'Chrome', os: 'Windows', device: 'desktop' },
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    is: { browser: 'Firefox', os: 'Windows', device: 'desktop' },
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  },
  {
    is: { browser: 'Edge', os: 'Windows', device: 'desktop' },
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  },
  {
    is: { browser: 'Opera', os: 'Windows', device: 'desktop' },
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0',
  },
  {
    is: { browser: 'Safari', os: 'macOS', device: 'desktop' },
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  },
  {
    is: { browser: 'Chrome', os: 'macOS', device: 'desktop' },
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    is: { browser: 'Firefox', os: 'macOS', device: 'desktop' },
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0',
  },
  {
    is: { browser: 'Chrome', os: 'Linux', device: 'desktop' },
    ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    is: { browser: 'Firefox', os: 'Linux', device: 'desktop' },
    ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  },
  {
    is: { browser: 'Chrome', os: 'Chrome OS', device: 'desktop' },
    ua: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    is: { browser: 'Chrome', os: 'Android', device: 'mobile' }, // Chrome's reduced user agent: model "K"
    ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  },
  {
    is: { browser: 'Samsung Internet', os: 'Android', device: 'mobile' },
    ua: 'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  },
  {
    is: { browser: 'Chrome', os: 'Android', device: 'mobile' }, // an Android app's web view
    ua: 'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36',
  },
  {
    is: { browser: 'Chrome', os: 'Android', device: 'tablet' }, // a Galaxy Tab: no "Mobile" token
    ua: 'Mozilla/5.0 (Linux; Android 11; SM-T505) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  },
  {
    is: { browser: 'Chrome', os: 'Android', device: 'tablet' }, // no model and no "Mobile" token
    ua: 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    is: { browser: 'Safari', os: 'iOS', device: 'mobile' },
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  },
  {
    is: { browser: 'Safari', os: 'iOS', device: 'tablet' }, // before iPadOS
    ua: 'Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1',
  },
  {
    is: { browser: 'Safari', os: 'iPadOS', device: 'tablet' }, // an iPad asking for mobile pages (by default it claims to be a Mac)
    ua: 'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  },
  {
    is: { browser: 'Chrome', os: 'iOS', device: 'mobile' }, // CriOS
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
  },
  {
    is: { browser: 'Firefox', os: 'iOS', device: 'mobile' }, // FxiOS
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15',
  },
  {
    is: { browser: 'Facebook', os: 'iOS', device: 'mobile' }, // FBAN/FBIOS
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/485.0.0.41.105;FBBV/667167880;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.6.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/669297574]',
  },
  {
    is: { browser: 'Instagram', os: 'iOS', device: 'mobile' },
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 357.0.0.25.101 (iPhone15,2; iOS 17_6_1; en_US; en; scale=3.00; 1179x2556; 664584187)',
  },
];

/** Crawlers and tools: named by their own product token, as their browser too, with no OS or device (theirs are imitations). */
const CRAWLERS = [
  [
    'Googlebot',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/131.0.6778.69 Safari/537.36',
  ],
  [
    'Googlebot',
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  ],
  [
    'bingbot',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36',
  ],
  ['DuckDuckBot', 'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)'],
  ['AhrefsBot', 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)'],
  ['HeadlessChrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36'],
  ['curl', 'curl/8.5.0'],
  ['Google-InspectionTool', 'Mozilla/5.0 (compatible; Google-InspectionTool/1.0)'],
];

describe('describeUserAgent', () => {
  it.each(PEOPLE)('reads $is.browser on $is.os ($is.device) in $ua', ({ is, ua }) => {
    expect(describeUserAgent(ua)).toEqual({ ...is, bot: null });
  });

  it.each(CRAWLERS)('calls %s a bot, with its name as the browser and no OS or device: %s', (name, ua) => {
    expect(describeUserAgent(ua)).toEqual({ browser: name, os: null, device: null, bot: name });
  });

  it('knows nothing of a missing, empty or blank user agent, and calls none of them a bot', () => {
    const unknown = { browser: null, os: null, device: null, bot: null };
    expect(describeUserAgent(undefined)).toEqual(unknown);
    expect(describeUserAgent('')).toEqual(unknown);
    expect(describeUserAgent('   ')).toEqual(unknown);
  });

  it('reads only the head of an oversized header', () => {
    const chrome = PEOPLE[0]!.ua;
    expect(describeUserAgent(chrome + ' x'.repeat(100_000))).toEqual(describeUserAgent(chrome));
  });

  it('hands out answers a caller cannot alter for the next one', () => {
    const answer = describeUserAgent(PEOPLE[0]!.ua);
    expect(Object.isFrozen(answer)).toBe(true);
    expect(describeUserAgent(PEOPLE[0]!.ua)).toBe(answer);
  });
});
