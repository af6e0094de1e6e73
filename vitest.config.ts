import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/setup/global-postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // better-sqlite3 is a native module: separate processes, not worker threads.
    pool: 'forks',
    reporters: ['default'],
  },
});
