// Every route the server registers is in the API document, and every operation in the document
// is registered. Left out: the HEAD routes Fastify adds for each GET, the CORS preflight route
// and static assets (outside-the-api.ts). A registered method that the document does not list
// must be the 405 guard of a documented path.
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadDocument } from '../../src/plugins/openapi.js';
import { seededDatabaseCopy, testConfig } from '../helper.js';
import { documentedMethods, type OpenApiDocument } from './contract-validator.js';
import { isCorsPreflight, isStaticAsset } from './outside-the-api.js';
import { recordContract } from './recorder.js';

/** `/file/{fileId}/download` and `/file/:fileId/download` both become `/file/{}/download`. */
const shape = (path: string) => path.replace(/\{[^}]+\}|:[A-Za-z0-9_]+/g, '{}');

const SAMPLE_ID = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';

/** Where the mock-only controls live (openapi/README.md). */
const MOCK_CONTROLS = '/_mock/';

interface Registered {
  app: FastifyInstance;
  routes: { method: string; url: string }[];
}

let apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.map((a) => a.close()));
  apps = [];
});

/** The app, with every route it registers recorded; `extra` may add routes of its own. */
async function registeredRoutes(extra?: (app: FastifyInstance) => void): Promise<Registered> {
  const app = buildApp(testConfig({ DATABASE_PATH: await seededDatabaseCopy() }), { logger: false });
  apps.push(app);
  // Contract: the guards' answers are checked against the document too; routes added on
  // purpose to show what the comparison reports answer outside it, so they go unrecorded.
  if (!extra) recordContract(app);
  const routes: Registered['routes'] = [];
  app.addHook('onRoute', (route) => {
    for (const method of ([] as HTTPMethods[]).concat(route.method)) routes.push({ method, url: route.url! });
  });
  extra?.(app);
  await app.ready();
  return { app, routes };
}

function documentedOperations(document: OpenApiDocument): string[] {
  return Object.keys(document.paths).flatMap((path) => documentedMethods(document, path).map((m) => `${m} ${shape(path)}`));
}

interface Undocumented {
  method: string;
  url: string;
  status: number;
}

async function compare({ app, routes }: Registered, document: OpenApiDocument) {
  const inApi = routes.filter((r) => r.method !== 'HEAD' && !isCorsPreflight(r.method) && !isStaticAsset(r.url));
  const operations = documentedOperations(document);
  const registered = new Set(inApi.map((r) => `${r.method} ${shape(r.url)}`));
  const notRegistered = operations.filter((op) => !registered.has(op));

  const undocumented: Undocumented[] = [];
  for (const { method, url } of inApi) {
    if (operations.includes(`${method} ${shape(url)}`)) continue;
    const pathDocumented = Object.keys(document.paths).some((p) => shape(p) === shape(url));
    // A guard answers 405 whoever asks, before reading a body or a token.
    const res = await app.inject({ method: method as HTTPMethods, url: url.replace(/:[A-Za-z0-9_]+/g, SAMPLE_ID) });
    if (!pathDocumented || res.statusCode !== 405) undocumented.push({ method, url, status: res.statusCode });
  }
  return { notRegistered, undocumented };
}

const explain = (u: Undocumented) =>
  `${u.method} ${shape(u.url)} (answers ${u.status}): add it to openapi/openapi.yaml` +
  (u.url.startsWith(MOCK_CONTROLS) ? ', tagged "Mock controls"' : '');

const document = () => loadDocument() as unknown as OpenApiDocument;

describe('registered routes and the document', () => {
  it('match: every route is documented (or a 405 guard) and every operation is registered', async () => {
    const result = await compare(await registeredRoutes(), document());
    expect(result.undocumented.map(explain), 'registered by the server but not in openapi/openapi.yaml').toEqual([]);
    expect(result.notRegistered, 'in openapi/openapi.yaml but not registered by the server').toEqual([]);
  });

  it('the documented operations are exactly these', () => {
    expect(documentedOperations(document()).sort()).toEqual(
      [
        'POST /oauth/token',
        'GET /api/v1/connect/fhir/$export',
        'POST /api/v1/connect/fhir/$export',
        'GET /api/v1/connect/fhir/$export-poll-status',
        'DELETE /api/v1/connect/fhir/$export-poll-status',
        'GET /api/v1/connect/file/{}/download',
        'GET /api/v1/connect/file/{}/signed',
        'GET /api/v1/connect/fhir/Patient/$export',
        'POST /api/v1/connect/fhir/Patient/$export',
        'GET /api/v1/connect/fhir/Group/{}/$export',
        'POST /api/v1/connect/fhir/Group/{}/$export',
        'GET /api/v1/connect/fhir/Group/{}',
        'GET /api/v1/connect/fhir/Group',
        'GET /api/v1/connect/fhir/.well-known/smart-configuration',
        'GET /api/v1/connect/fhir/metadata',
        'GET /health',
        'GET /openapi.json',
        'GET /openapi.yaml',
        'GET /_mock/scenarios',
        'POST /_mock/scenarios',
        'DELETE /_mock/scenarios',
        'POST /_mock/reset',
        'POST /_mock/clock',
        'GET /_mock/requests',
        'DELETE /_mock/requests',
        'GET /_mock/exports/{}/report',
      ].sort(),
    );
  });

  it('names a route the document lacks, and an operation the server lacks', async () => {
    const withExtraRoutes = await registeredRoutes((app) => {
      app.post('/_mock/time', async () => ({ ok: true }));
      app.get('/api/v1/connect/fhir/$validate', async () => ({ ok: true }));
    });
    const doc = document();
    doc.paths['/api/v1/connect/fhir/Patient'] = { get: { responses: { '200': { description: 'x' } } } };
    const result = await compare(withExtraRoutes, doc);
    expect(result.undocumented.filter((u) => u.url === '/_mock/time' || u.url.endsWith('$validate')).map(explain)).toEqual([
      'POST /_mock/time (answers 200): add it to openapi/openapi.yaml, tagged "Mock controls"',
      'GET /api/v1/connect/fhir/$validate (answers 200): add it to openapi/openapi.yaml',
    ]);
    expect(result.notRegistered).toEqual(['GET /api/v1/connect/fhir/Patient']);
  });
});
