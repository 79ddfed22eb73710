import { defineConfig } from 'vitest/config';

// One suite, two runtimes: the e2e tests run once against the Node server and once against
// `wrangler dev --local` (workerd + D1); test/support/server.ts reads the provided `target`.
const shared = { testTimeout: 120_000, hookTimeout: 240_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'unit', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: ['test/e2e/**', 'test/browser/**'] } },
      // Pages in headless Debian Chromium (playwright-core) against the Node server.
      { test: { ...shared, name: 'browser', include: ['test/browser/**/*.test.ts'], provide: { target: 'node' } } },
      { test: { ...shared, name: 'node', include: ['test/e2e/**/*.test.ts'], provide: { target: 'node' } } },
      {
        test: {
          ...shared,
          name: 'edge',
          include: ['test/e2e/**/*.test.ts'],
          // Key files, NODE_ENV and rotation are the Node entry's concern; Workers take keys from a secret.
          exclude: ['test/e2e/keys.test.ts', 'test/e2e/firstRun.test.ts'],
          provide: { target: 'edge' },
        },
      },
    ],
  },
});
