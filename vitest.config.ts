import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{server,survey-web,sampling,analysis,test}/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and server tests start real processes; two cores do not like many at once.
    maxWorkers: 2,
  },
});
