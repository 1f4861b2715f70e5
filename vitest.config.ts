import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{server,survey-web,sampling,analysis,test}/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and server tests start real processes; two cores do not like many at once.
    maxWorkers: 2,
    // Starts a throwaway PostgreSQL cluster only when SIPAS_TEST_DB=postgres (a no-op otherwise).
    globalSetup: ['test/support/postgres-cluster.ts'],
  },
});
