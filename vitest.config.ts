import { defineConfig } from 'vitest/config';

// Three projects: unit (no services), integration (real PostgreSQL and Redis, a throwaway database per
// run), browser (Debian's Chromium driven by playwright-core against the built dashboard).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{backend,shared,web}/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.browser.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{backend,shared}/src/**/*.int.test.ts', 'load/**/*.int.test.ts'],
          globalSetup: ['backend/src/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['web/e2e/**/*.browser.test.ts'],
          globalSetup: ['backend/src/test/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
