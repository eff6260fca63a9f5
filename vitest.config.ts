import { defineConfig } from 'vitest/config';

// Unit tests (`*.test.ts`) and API tests against a real database (`*.db.test.ts`):
// PGlite by default, a fresh database on the server named by TEST_DATABASE_URL otherwise.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
