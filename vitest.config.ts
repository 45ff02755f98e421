import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing running; `integration` gets the real local stack
// (Temporal dev server, PostgreSQL, S3 server, anvil) from one global setup, started on
// loopback and stopped afterwards. No test retries: a retried test hides flakiness.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/conformance/**/*.test.ts', 'test/infra/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/globalStack.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // Tests share one stack; run files one at a time so timings and ports stay predictable.
          fileParallelism: false,
        },
      },
    ],
  },
});
