import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { parseCsv } from '@pulse/backend/test/csv-parse';

/** Clicks a download button as a user would (the session cookie authenticates it) and reads the CSV file it saves. */
export async function downloadedRows(page: Page, testId: string): Promise<string[][]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return parseCsv((await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, ''));
}
