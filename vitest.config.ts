import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser tests need Debian's chromium and the built page: `npm run test:browser`.
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    // One scratch folder per run, removed at its end (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/contract/contract-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
