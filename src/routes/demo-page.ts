// GET / : the demo page (README, "Demo page"), a small browser client of the public API.
// `npm run build` bundles it from web/ into dist/web (vite.config.ts). The page knows nothing
// about this instance by itself: the server writes the base path, the auth mode, the demo
// user and the data set's counts into the HTML, so no path is hard-coded in the bundle and
// no extra API endpoint is needed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { EXPORTABLE_TYPES } from '../fhir/resource-types.js';
import { SCENARIO_LIST } from '../scenarios/catalog.js';
import type { DemoPageConfig } from './demo-page-config.js';
import { routeMethods } from './route-methods.js';

/** Where the bundle's files are served; vite.config.ts builds with the same base. */
export const DEMO_ASSETS_PREFIX = '/demo/assets/';
/** Stands in web/index.html where the page's configuration goes. */
export const CONFIG_PLACEHOLDER = '__DEMO_PAGE_CONFIG__';

export interface DemoPageOptions {
  /** The built page (index.html and assets/); defaults to dist/web in the project. */
  root?: string;
}

// This file runs from src/routes (tests, tsx) or dist/src/routes (npm start); either way the
// built page sits in dist/web next to package.json.
function defaultRoot(): string | undefined {
  const project = ['../../', '../../../']
    .map((p) => new URL(p, import.meta.url))
    .find((u) => existsSync(new URL('package.json', u)));
  return project ? fileURLToPath(new URL('dist/web/', project)) : undefined;
}

/** JSON that can sit inside a <script> element: `</script>` or `<!--` in a value cannot end it. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export default async function demoPageRoutes(app: FastifyInstance, opts: DemoPageOptions) {
  const root = opts.root ?? defaultRoot();
  const indexFile = root && join(root, 'index.html');
  const template = indexFile && existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : undefined;
  const usable = template !== undefined && template.split(CONFIG_PLACEHOLDER).length === 2;
  if (!usable) {
    app.log.warn({ root }, 'the demo page is not built; GET / explains how to build it');
  } else {
    await app.register(fastifyStatic, {
      root: join(root!, 'assets'),
      prefix: DEMO_ASSETS_PREFIX,
      decorateReply: false,
      index: false,
      // File names carry a content hash, so a browser may keep them.
      immutable: true,
      maxAge: '365d',
    });
  }

  const pageConfig = (): DemoPageConfig => {
    const { config } = app;
    const counts = app.store.ready ? app.store.repos().resources.countsByType() : null;
    return {
      profile: config.profile,
      basePath: config.basePath,
      tokenPath: '/oauth/token',
      scenarios: SCENARIO_LIST,
      docsPath: app.hasRoute({ method: 'GET', url: '/docs' }) ? '/docs' : null,
      auth: config.auth.enabled
        ? { enabled: true, username: config.auth.username, password: config.auth.password }
        : { enabled: false },
      dataset: {
        ...config.dataset,
        fileMaxResources: config.fileMaxResources,
        types: [...EXPORTABLE_TYPES],
        counts: counts && Object.fromEntries(EXPORTABLE_TYPES.map((type) => [type, counts[type] ?? 0])),
      },
    };
  };

  // The page only talks to this server (and to PUBLIC_BASE_URL, which Content-Location uses).
  const connectSources = ["'self'", app.config.publicBaseUrl].filter(Boolean).join(' ');
  const contentSecurityPolicy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connectSources}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

  routeMethods(app, '/', {
    GET: {
      handler: async (_request, reply) => {
        if (!usable) {
          return reply
            .code(404)
            .type('text/plain; charset=utf-8')
            .send(
              template === undefined
                ? 'The demo page is not built. Run `npm run build` (or `npm start`, which builds), then open this page again.'
                : 'The demo page build is damaged (its configuration slot is missing). Run `npm run build` again.',
            );
        }
        const html = template.replace(CONFIG_PLACEHOLDER, () => scriptSafeJson(pageConfig()));
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('content-security-policy', contentSecurityPolicy)
          .header('x-content-type-options', 'nosniff')
          .header('referrer-policy', 'no-referrer')
          .send(html);
      },
    },
  });
}
