import { defineConfig } from 'vitest/config';
import { LIVE_TESTS } from './vitest.config.js';

/**
 * `lbsim live` against real servers, alone: its load driver must start sessions on time (a run
 * whose arrivals start over 5 ms late on average is invalid), so no other test file may share
 * the machine's cores with it. `npm test` runs this after the rest of the suite.
 */
export default defineConfig({
  test: {
    include: LIVE_TESTS,
    fileParallelism: false,
    testTimeout: 60_000,
  },
});
