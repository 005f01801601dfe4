// Builds the demo page (web/) into dist/web; src/routes/demo-page.ts serves it at / and its
// files under /demo/assets/. No CDN, no framework: the bundle is the page's own TypeScript.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: '/demo/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // Every browser that runs ES2022 modules supports modulepreload; the polyfill is dead weight.
    modulePreload: { polyfill: false },
  },
});
