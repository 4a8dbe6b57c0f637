import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); test tools cannot download a browser here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`apt-get install chromium\` or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The inputs of each tRPC procedure in a (possibly batched) GET request the page made. */
export function trpcInputsOf(requestUrl: string): Map<string, unknown> {
  const url = new URL(requestUrl);
  const paths = url.pathname.replace(/^\/trpc\//, '').split(',');
  const rawInput = url.searchParams.get('input');
  const parsed = rawInput ? (JSON.parse(rawInput) as Record<string, unknown>) : {};
  const batched = url.searchParams.get('batch') === '1';
  return new Map(paths.map((path, index) => [path, batched ? parsed[String(index)] : parsed]));
}
