import { defineConfig } from 'vitest/config';

// Browser tests: Playwright (playwright-core) driving the system Chromium against the real server.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/global-setup.ts', 'test/e2e/web-build-setup.ts'],
    testTimeout: 90_000,
    // a browser on a busy machine needs more than expect.poll's default second
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 120_000,
    // one retry for a browser on a busy 2-core machine; a broken feature fails both attempts
    retry: 1,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
