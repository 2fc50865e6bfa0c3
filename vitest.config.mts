import path from 'node:path';
import { defineConfig } from 'vitest/config';

/** The web app's alias of the pure domain (web/vite.config.mts), for tests that run web code. */
// relative to the project root, where vitest runs (its include patterns are relative to it too)
const alias = { '@domain': path.resolve('api/src/domain') };

/**
 * Vitest's own worker-channel races (an RPC call still pending when a worker closes its channel, or timing out on a
 * busy machine) are reported as unhandled errors although no test code threw them (vitest issues #6479, #11153).
 * They are printed as a warning and do not fail the run; every other unhandled error still does.
 */
const VITEST_CHANNEL_RACE = /^\[vitest-worker\]: (Closing rpc while|Timeout calling)|^\[birpc\] timeout on calling/;

// Three projects: pure unit tests, tests against a real PostgreSQL server, and browser tests in Debian's Chromium.
export default defineConfig({
  test: {
    onUnhandledError(error: Error) {
      if (!VITEST_CHANNEL_RACE.test(String(error?.message ?? ''))) return;
      process.stderr.write(`warning: vitest worker channel race, not a test failure: ${error.name}: ${error.message}\n`);
      return false;
    },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['api/src/**/*.test.ts', 'etl/src/**/*.test.ts', 'web/src/**/*.test.ts', 'data/generator/**/*.test.ts'],
          environment: 'node',
          // property tests run thousands of cases: on a busy two-core machine they need more than the default 5 s
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
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
        resolve: { alias },
        test: {
          name: 'browser',
          sequence: { groupOrder: 2 },
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts', 'test/support/build-web.ts'],
          testTimeout: 60_000,
          // a page on a busy two-core machine may take seconds to load its data: poll for 15 s, not the default 1 s
          expect: { poll: { timeout: 15_000 } },
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
