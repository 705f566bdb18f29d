import { defineConfig } from 'vitest/config';

/** The real-server tests of `lbsim live`, which need the machine to themselves: vitest.live.config.ts runs them after the rest. */
export const LIVE_TESTS = ['test/live/live.test.ts'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**', ...LIVE_TESTS],
    testTimeout: 60_000,
  },
});
