import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { ZScenarioVerdict, type TScenarioName } from '@pulse/shared/scenarios';
import { useDashboard } from './dashboard-harness.ts';

// The high-load demo page runs scenarios 2 (circuit breaker) and 6 (database outage) on the real server with
// their short settings, and must show a passing verdict for each. The circuit breaker waits for cached
// answers to pass their fresh time: 3 s here instead of 30.
const dashboard = useDashboard('browser-high-load', { FAULT_INJECTION: true, CACHE_LIVE_TTL_SECONDS: 3 });

const VERDICT_TIMEOUT_MS = 60_000;

async function runScenario(page: Page, scenario: TScenarioName): Promise<void> {
  await page.getByTestId(`scenario-option-${scenario}`).click();
  await page.getByTestId('short-settings').click();
  await page.getByTestId('run-scenario').click();
  await page.getByTestId('scenario-progress').waitFor();
  await page.getByTestId('scenario-verdict').waitFor({ timeout: VERDICT_TIMEOUT_MS });
}

it('runs the circuit-breaker and database-outage scenarios from the page, each to a passing verdict', async () => {
  const page = await dashboard.openPage('high-load', dashboard.tenant.keys.admin);

  await runScenario(page, 'circuit-breaker');
  const breakerVerdict = page.getByTestId('scenario-verdict');
  expect(await breakerVerdict.textContent()).toContain('Passed');
  expect(await page.getByTestId('scenario-check').count()).toBe(6);
  // The breaker timeline shows the breaker opening and closing again, as it happened.
  expect(await page.getByText('postgres-read open').count()).toBeGreaterThan(0);
  await dashboard.screenshot(page, 'high-load');

  await runScenario(page, 'database-outage');
  expect(await page.getByTestId('scenario-verdict').textContent()).toContain('Passed');
  expect(await page.getByTestId('scenario-check').count()).toBe(5);
  expect(await page.getByTestId('recent-run').count()).toBe(2);

  // The run exported as JSON carries the same verdict: stored = acknowledged, measured on the server.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').first().click()]);
  const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as { verdict: unknown; samples: unknown[] };
  const verdict = ZScenarioVerdict.parse(exported.verdict);
  expect(verdict.run.scenario).toBe('database-outage');
  expect(verdict.outcome).toBe('passed');
  expect(exported.samples.length).toBeGreaterThan(0);
});
