// The document as the server serves it: /openapi.json, /openapi.yaml and Swagger UI at /docs,
// naming the server's own origin and base path so that "Try it out" and generated clients
// reach it.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/plugins/openapi.js';
import { bearer, buildTestApp, parseNdjson, pathOf, pollUntilDone, type Manifest, type TestApp } from '../helper.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.app.close();
  t = undefined;
});

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('the served document', () => {
  it('/openapi.json is openapi/openapi.yaml with this server as its one server', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json', headers: { host: 'mock.example:8080' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({ ...loadDocument(), servers: [{ url: 'http://mock.example:8080', description: 'This server' }] });
  });

  it('/openapi.yaml is the same document in YAML', async () => {
    t = await buildTestApp();
    const json = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as unknown;
    const res = await t.app.inject({ method: 'GET', url: '/openapi.yaml' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/yaml');
    expect(parse(res.body)).toEqual(json);
  });

  it('names PUBLIC_BASE_URL as its server when it is set', async () => {
    t = await buildTestApp({ PUBLIC_BASE_URL: 'https://verto-mock.example.org' });
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { servers: unknown };
    expect(doc.servers).toEqual([{ url: 'https://verto-mock.example.org', description: 'This server' }]);
  });

  it('as written: OpenAPI 3.1, the package version, a local server, the password grant at /oauth/token', () => {
    const doc = loadDocument() as unknown as { openapi: string; servers: unknown; info: { version: string }; components: unknown };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe(packageVersion);
    expect(doc.servers).toEqual([
      { url: 'http://127.0.0.1:3000', description: 'A local `npm start`. The document the server serves names the origin it was fetched from.' },
    ]);
    expect((doc.components as { securitySchemes: unknown }).securitySchemes).toMatchObject({
      passwordGrant: { type: 'oauth2', flows: { password: { tokenUrl: '/oauth/token', scopes: {} } } },
      bearerToken: { type: 'http', scheme: 'bearer' },
    });
  });
});

describe('worked examples', () => {
  it('every operation shows an example of each request body and each response it can send', () => {
    type Media = { example?: unknown; examples?: Record<string, unknown> };
    type Operation = { requestBody?: { content: Record<string, Media> }; responses: Record<string, { $ref?: string; content?: Record<string, Media> }> };
    const doc = loadDocument() as unknown as {
      paths: Record<string, Record<string, Operation>>;
      components: { responses: Record<string, { content?: Record<string, Media> }> };
    };
    const missing: string[] = [];
    const check = (where: string, content: Record<string, Media> | undefined) => {
      for (const [type, media] of Object.entries(content ?? {})) {
        if (media.example === undefined && Object.keys(media.examples ?? {}).length === 0) missing.push(`${where} ${type}`);
      }
    };
    let operations = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'delete', 'put', 'patch'].includes(method)) continue;
        operations++;
        check(`${method.toUpperCase()} ${path} request`, op.requestBody?.content);
        for (const [status, response] of Object.entries(op.responses)) {
          const resolved = response.$ref ? doc.components.responses[response.$ref.split('/').pop()!]! : response;
          check(`${method.toUpperCase()} ${path} ${status}`, resolved.content);
        }
      }
    }
    expect(operations).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });
});

describe('another BASE_PATH', () => {
  it('moves the FHIR paths under it, and the flow there conforms to the document', async () => {
    t = await buildTestApp({ BASE_PATH: '/fhir-api' });
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: object };
    expect(Object.keys(doc.paths)).toEqual([
      '/oauth/token',
      '/fhir-api/fhir/$export',
      '/fhir-api/fhir/Patient/$export',
      '/fhir-api/fhir/Group/{groupId}/$export',
      '/fhir-api/fhir/Group/{groupId}',
      '/fhir-api/fhir/Group',
      '/fhir-api/fhir/.well-known/smart-configuration',
      '/fhir-api/fhir/metadata',
      '/fhir-api/fhir/$export-poll-status',
      '/fhir-api/file/{fileId}/download',
      '/fhir-api/file/{fileId}/signed',
      '/health',
      '/openapi.json',
      '/openapi.yaml',
      '/_mock/scenarios',
      '/_mock/reset',
      '/_mock/clock',
      '/_mock/requests',
      '/_mock/exports/{jobId}/report',
    ]);
    // Each response below is checked against the served document by the recorder.
    const { app } = t;
    const token = (
      await app.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: { grant_type: 'password', username: app.config.auth.username, password: app.config.auth.password },
      })
    ).json() as { access_token: string };
    const kick = await app.inject({ method: 'GET', url: '/fhir-api/fhir/$export?_type=Organization', headers: bearer(token.access_token) });
    expect(kick.statusCode).toBe(202);
    const { final } = await pollUntilDone(t, kick.headers['content-location'] as string, token.access_token);
    expect(final.statusCode).toBe(200);
    const manifest = final.json() as Manifest;
    expect(manifest.output.map((e) => e.type)).toEqual(['Organization']);
    const file = await app.inject({ method: 'GET', url: `/fhir-api${manifest.output[0]!.url}`, headers: bearer(token.access_token) });
    expect(file.statusCode).toBe(200);
    expect(parseNdjson(file.body)).toHaveLength(manifest.output[0]!.count);
    expect(pathOf(kick.headers['content-location'] as string)).toMatch(/^\/fhir-api\/fhir\/\$export-poll-status\?_jobId=/);
  });
});

describe('Swagger UI at /docs', () => {
  it('serves the page, its script and the document it shows', async () => {
    t = await buildTestApp();
    const page = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>Verto FHIR Facade mock: API reference</title>');
    expect(page.body).toContain('<div id="swagger-ui"></div>');
    expect(page.body).toContain('<script src="/docs/static/swagger-ui-bundle.js" charset="UTF-8">');

    const init = await t.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
    expect(init.body).toContain("url: resolveUrl('./json')");
    expect(init.body).toContain('"tryItOutEnabled":true');

    const bundle = await t.app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toBe('application/javascript; charset=utf-8');

    const shown = await t.app.inject({ method: 'GET', url: '/docs/json', headers: { host: 'localhost:8080' } });
    const served = await t.app.inject({ method: 'GET', url: '/openapi.json', headers: { host: 'localhost:8080' } });
    expect(shown.json()).toEqual(served.json());
  });

  it('links to the demo page: in the document it shows, and from its logo', async () => {
    t = await buildTestApp();
    const shown = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect((shown.json() as { info: { description: string } }).info.description).toContain('[the demo page](/)');
    const init = await t.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(init.body).toContain("img.href = '/'");
  });

  it('"Authorize" works: the token request Swagger UI sends for the password flow gets a usable token', async () => {
    t = await buildTestApp();
    // What Swagger UI posts: a form with an empty scope, and empty client credentials in Basic auth.
    const res = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(':').toString('base64')}`,
        'x-requested-with': 'XMLHttpRequest',
      },
      payload: 'grant_type=password&scope=&username=demo%40example.com&password=demo',
    });
    expect(res.statusCode).toBe(200);
    const { access_token, token_type } = res.json() as { access_token: string; token_type: string };
    expect(token_type).toBe('Bearer');
    const kick = await t.app.inject({ method: 'GET', url: '/api/v1/connect/fhir/$export', headers: bearer(access_token) });
    expect(kick.statusCode).toBe(202);
  });
});
