import { defineConfig } from 'vitest/config';

// Three projects: pure unit tests, tests against a real PostgreSQL server, and browser tests in Debian's Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['api/src/**/*.test.ts', 'etl/src/**/*.test.ts', 'web/src/**/*.test.ts', 'data/generator/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'database',
          sequence: { groupOrder: 1 },
          include: ['test/database/**/*.test.ts', 'test/api/**/*.test.ts', 'test/etl/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'browser',
          sequence: { groupOrder: 2 },
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts', 'test/support/build-web.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
