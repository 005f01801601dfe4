// Serves the hand-written API document (openapi/openapi.yaml) as it is, through
// @fastify/swagger's static mode, at /openapi.json and /openapi.yaml, with Swagger UI at /docs.
// Two things are filled in per server and per request so that "Try it out" and generated
// clients reach this very server: the base path (BASE_PATH) and the origin in `servers`.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { parse, stringify } from 'yaml';
import { requestOrigin } from '../http/origin.js';
import { routeMethods } from '../routes/route-methods.js';

/** The base path the document is written with; the served document uses BASE_PATH instead. */
export const DOCUMENTED_BASE_PATH = '/api/v1/connect';

// The same file from the sources (src/plugins) and from the build (dist/src/plugins).
const candidates = ['../../openapi/openapi.yaml', '../../../openapi/openapi.yaml'].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
);

export function documentPath(): string {
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`The API document is missing; looked for ${candidates.join(' and ')}.`);
  return found;
}

// Parsing the YAML takes a noticeable moment, so it is done once per process, not per app.
let parsed: Document | undefined;

/** The API document as written in openapi/openapi.yaml (a fresh copy each call). */
export function loadDocument(): Document {
  parsed ??= parse(readFileSync(documentPath(), 'utf8')) as Document;
  return structuredClone(parsed);
}

// The product's name in Swagger UI's top bar. Kept in memory: the default logo is a file read
// during start-up, which would hold up `ready()` behind a first-start seeding.
const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" width="260" height="40" viewBox="0 0 260 40">' +
  '<text x="0" y="28" font-family="sans-serif" font-size="22" font-weight="700" fill="#ffffff">Verto FHIR mock</text></svg>';

interface Document {
  servers?: { url: string; description?: string }[];
  paths: Record<string, unknown>;
  [key: string]: unknown;
}

/** The document with its FHIR paths moved under `basePath`. */
export function withBasePath<T extends Document>(doc: T, basePath: string): T {
  if (basePath === DOCUMENTED_BASE_PATH) return doc;
  const paths = Object.fromEntries(
    Object.entries(doc.paths).map(([path, item]) => [
      path.startsWith(`${DOCUMENTED_BASE_PATH}/`) ? basePath + path.slice(DOCUMENTED_BASE_PATH.length) : path,
      item,
    ]),
  );
  return { ...doc, paths };
}

async function openapiPlugin(app: FastifyInstance) {
  await app.register(swagger, {
    mode: 'static',
    specification: { document: withBasePath(loadDocument(), app.config.basePath) as never },
  });

  // The one server is the origin the caller reached (PUBLIC_BASE_URL when set), so requests
  // from Swagger UI or a generated client go back to it, whatever port Docker maps.
  const forRequest = (request: FastifyRequest): Document => {
    const doc = app.swagger() as unknown as Document;
    return { ...doc, servers: [{ url: requestOrigin(request, app.config), description: 'This server' }] };
  };

  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // The logo leads to the demo page, as the document's description does.
    logo: { type: 'image/svg+xml', content: LOGO, href: '/' },
    uiConfig: { deepLinking: true, displayRequestDuration: true, tryItOutEnabled: true },
    theme: { title: 'Verto FHIR Facade mock: API reference' },
    transformSpecificationClone: false,
    transformSpecification: (_doc, request) => forRequest(request),
  });

  routeMethods(app, '/openapi.json', {
    GET: { handler: async (request, reply) => reply.type('application/json').send(forRequest(request)) },
  });
  routeMethods(app, '/openapi.yaml', {
    GET: { handler: async (request, reply) => reply.type('application/yaml').send(stringify(forRequest(request))) },
  });
}

export default fp(openapiPlugin, { name: 'openapi', decorators: { fastify: ['config'] } });
