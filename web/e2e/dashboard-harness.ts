import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { REPO_ROOT, type AppConfig } from '@pulse/backend/config';
import type { Runtime } from '@pulse/backend/runtime';
import { startTestRuntime } from '@pulse/backend/test/test-runtime';
import { createTestTenant, startTestServer, type TestServer, type TestTenant } from '@pulse/backend/test/test-tenant';
import { launchChromium } from './browser.ts';

export interface Dashboard {
  runtime: Runtime;
  server: TestServer;
  tenant: TestTenant;
  browser: Browser;
  /** A new page on `route` (e.g. "live"), signed in with `key` (the tenant's read key by default). */
  openPage(route: string, key?: string): Promise<Page>;
  /**
   * Saves the page as <name>.png under .tmp/screenshots (ignored by git), or under docs/screenshots — the
   * pictures the README shows — when `npm run screenshots` asks for them.
   */
  screenshot(page: Page, name: string): Promise<void>;
}

// A test run must leave the tracked files as they were: only `npm run screenshots` refreshes the README's.
const SCREENSHOTS = join(REPO_ROOT, process.env.PULSE_SCREENSHOTS_DIR ?? join('.tmp', 'screenshots'));

/** The real server on this run's PostgreSQL and Redis, serving the built dashboard, and Chromium: for one test file. */
export function useDashboard(label: string, config: Partial<AppConfig> = {}): Dashboard {
  const dashboard = {} as Dashboard;
  beforeAll(async () => {
    const runtime = await startTestRuntime(config);
    const tenant = await createTestTenant(runtime, label);
    const server = await startTestServer(runtime, { webDistDir: join(REPO_ROOT, 'web', 'dist') });
    const browser = await launchChromium();
    Object.assign(dashboard, {
      runtime,
      tenant,
      server,
      browser,
      async openPage(route: string, key = tenant.keys.read) {
        const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
        await page.goto(`${server.url}/?key=${key}#/${route}`);
        return page;
      },
      async screenshot(page: Page, name: string) {
        await mkdir(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      },
    } satisfies Dashboard);
  });
  afterAll(async () => {
    await dashboard.browser?.close();
    await dashboard.server?.close();
    await dashboard.runtime?.close();
  });
  return dashboard;
}
