// `npm run test:browser`: the demo page in a real browser (Debian's chromium, driven by
// playwright-core). Kept out of `npm test` because it needs /usr/bin/chromium and the built
// page; .ci/run installs the one and the script builds the other before running these.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    // One scratch folder per run, removed at its end (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/contract/contract-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    // The page waits Retry-After (real seconds) between polls and retries: give it time.
    expect: { poll: { timeout: 20_000, interval: 50 } },
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
