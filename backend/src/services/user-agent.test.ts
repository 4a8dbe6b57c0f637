import { expect, it } from 'vitest';
import { browserFromUserAgent, deviceFromUserAgent } from './user-agent.ts';

const CHROME_DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';
const EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0';

it('names the browser, checking Edge before the Chrome it claims to be', () => {
  expect(browserFromUserAgent(CHROME_DESKTOP)).toBe('Chrome');
  expect(browserFromUserAgent(SAFARI_IPHONE)).toBe('Safari');
  expect(browserFromUserAgent(EDGE)).toBe('Edge');
  expect(browserFromUserAgent('curl/8.0')).toBe('Other');
  expect(browserFromUserAgent(undefined)).toBeNull();
});

it('classes the device', () => {
  expect(deviceFromUserAgent(CHROME_DESKTOP)).toBe('desktop');
  expect(deviceFromUserAgent(SAFARI_IPHONE)).toBe('mobile');
  expect(deviceFromUserAgent(undefined)).toBeNull();
});
