// The Testcontainers example on its own: `npx vitest run --config examples/testcontainers/vitest.config.ts`
// with a Docker engine and the image built (docs/docker.md, "Use in CI").
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
