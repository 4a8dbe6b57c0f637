import { defineConfig } from 'vitest/config';

// Four projects: unit (no services), integration (real PostgreSQL and Redis, a throwaway database per
// run), browser (Debian's Chromium driven by playwright-core against the built dashboard), and load: the
// suites whose verdicts depend on how busy the machine is (the demo's scenarios, from the CLI and from the page, measure what this server
// sustains; the degraded badge and overload tests need real pressure), run after the others, one file at a
// time (`npm test` runs it in a second vitest invocation), so two cores shared with 70 other files do not
// decide them.
const LOAD_SENSITIVE = [
  'load/**/*.int.test.ts',
  'web/e2e/high-load-demo.browser.test.ts',
  'backend/src/chaos/overload.int.test.ts',
  'backend/src/scale-out/alert-instances.int.test.ts',
  'backend/src/http/trpc-fast-path-flow.int.test.ts',
  'web/e2e/overview-degraded.browser.test.ts',
];
// How long `expect.poll` waits for a condition. Vitest's default second is shorter than one busy render on two
// cores shared with the rest of the suite; a condition that never holds still fails, just later.
const POLL = { timeout: 15_000, interval: 100 };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{backend,shared,web}/src/**/*.test.ts', 'test/**/*.test.ts', 'load/lib/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.browser.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{backend,shared}/src/**/*.int.test.ts', 'client/test/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          exclude: [...LOAD_SENSITIVE, '**/node_modules/**'],
          globalSetup: ['backend/src/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          expect: { poll: POLL },
        },
      },
      {
        test: {
          name: 'browser',
          include: ['web/e2e/**/*.browser.test.ts'],
          exclude: [...LOAD_SENSITIVE, '**/node_modules/**'],
          globalSetup: ['backend/src/test/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          expect: { poll: POLL },
        },
      },
      {
        test: {
          name: 'load',
          include: LOAD_SENSITIVE,
          globalSetup: ['backend/src/test/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 90_000,
          expect: { poll: POLL },
        },
      },
    ],
  },
});
