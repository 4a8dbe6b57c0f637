// Lint for the whole repository, run by `npm test` (`npm run lint`). Besides the recommended rules, it holds the
// backend's layers as docs/ARCHITECTURE.md draws them: routers → services → repositories, infrastructure apart.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Import patterns a layer may not use, each with the reason the message gives. */
const forbidden = (...entries) => entries.map(([group, message]) => ({ group, message }));

const PRISMA = ['**/generated/prisma', '**/generated/prisma/**', '@prisma/*', '@prisma/client'];
const SQL_DRIVERS = ['pg', 'pg-*', '@electric-sql/pglite', '@electric-sql/pglite/*'];
const HTTP_AND_RPC = ['express', '@trpc/*', '**/http/**', '**/trpc/**', '**/routers/**'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'backend/src/generated/**', '.data/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}', 'web/tracker/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests read answers loosely, as a client would see them.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['backend/src/services/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden(
            [PRISMA, 'services hold the rules: only repositories and infra/db know Prisma (use the types of shared/ or of a repository)'],
            [SQL_DRIVERS, 'services hold the rules: only repositories and infra/db touch SQL'],
            [HTTP_AND_RPC, 'services know nothing of HTTP or tRPC: routers and http/ call them, not the other way round'],
          ),
        },
      ],
    },
  },
  {
    files: ['backend/src/repositories/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden(
            [['**/services/**'], 'repositories store and fetch; they do not call the services that use them'],
            [HTTP_AND_RPC, 'repositories know nothing of HTTP or tRPC'],
          ),
        },
      ],
    },
  },
  {
    files: ['backend/src/routers/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden(
            [['**/repositories/**', ...PRISMA, ...SQL_DRIVERS], 'routers call services only: the rules and the storage live below them'],
            [['express', '**/http/**'], 'routers are tRPC procedures: HTTP details belong in http/ (or the tRPC context)'],
          ),
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden([
            ['@pulse/backend', '@pulse/backend/*'],
            "the dashboard is one of the API's callers: it takes the API's types from @pulse/client (PulseRouter)",
          ]),
        },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    ignores: ['client/src/caller-router.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden([
            ['@pulse/backend', '@pulse/backend/*'],
            "only caller-router.ts reads the server's router: what callers see must not depend on the rest of the backend",
          ]),
        },
      ],
    },
  },
  {
    files: ['backend/src/infra/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden([
            ['**/services/**', '**/routers/**', '**/repositories/**'],
            'infrastructure stands apart: the layers use it, it does not use them',
          ]),
        },
      ],
    },
  },
);
