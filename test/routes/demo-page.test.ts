// GET / serves the built page with this server's settings written into it. The browser test
// (test/browser) runs the real bundle; here a stand-in build keeps the checks exact and fast.
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import storePlugin from '../../src/plugins/store.js';
import demoPageRoutes, { CONFIG_PLACEHOLDER, scriptSafeJson } from '../../src/routes/demo-page.js';
import { SCENARIO_NAMES, SCENARIOS } from '../../src/scenarios/catalog.js';
import { seededDatabaseCopy, testConfig, TEST_DATASET } from '../helper.js';

const folders: string[] = [];
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

/** A stand-in for dist/web: an index.html with the config slot, and one asset. */
function fakeBuild(index = `<html><script id="demo-config" type="application/json">${CONFIG_PLACEHOLDER}</script></html>`) {
  const root = mkdtempSync(join(tmpdir(), 'verto-mock-page-'));
  folders.push(root);
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), index);
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1);\n');
  return root;
}

async function pageApp(root: string | undefined, env: Record<string, string> = {}) {
  const instance = Fastify({ logger: false });
  instance.decorate('config', testConfig({ DATABASE_PATH: await seededDatabaseCopy(), ...env }));
  await instance.register(storePlugin);
  await instance.register(demoPageRoutes, { root: root ?? join(tmpdir(), 'verto-mock-no-such-build') });
  await instance.ready();
  app = instance;
  return instance;
}

const configIn = (html: string): unknown => JSON.parse(/<script id="demo-config" type="application\/json">(.*)<\/script>/s.exec(html)![1]!);

describe('GET / (demo page)', () => {
  it('writes the base path, the demo user and the data set into the page', async () => {
    const server = await pageApp(fakeBuild(), { BASE_PATH: '/other/base', FILE_MAX_RESOURCES: '100' });
    const res = await server.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const counts = server.store.repos().resources.countsByType();
    expect(configIn(res.body)).toEqual({
      profile: 'verto',
      basePath: '/other/base',
      tokenPath: '/oauth/token',
      scenarios: SCENARIO_NAMES.map((name) => ({ name, ...SCENARIOS[name] })),
      docsPath: null,
      auth: { enabled: true, username: 'demo@example.com', password: 'demo' },
      dataset: {
        ...TEST_DATASET,
        fileMaxResources: 100,
        types: [...EXPORTABLE_TYPES],
        counts: Object.fromEntries(EXPORTABLE_TYPES.map((type) => [type, counts[type]])),
      },
    });
    expect(counts.Patient).toBe(TEST_DATASET.patients);
  });

  it('leaves the password out with AUTH=off, names the profile, and lets PUBLIC_BASE_URL be polled', async () => {
    const server = await pageApp(fakeBuild(), { AUTH: 'off', PUBLIC_BASE_URL: 'https://mock.example:8443', PROFILE: 'standard' });
    const res = await server.inject({ method: 'GET', url: '/' });
    expect((configIn(res.body) as { auth: unknown }).auth).toEqual({ enabled: false });
    expect((configIn(res.body) as { profile: unknown }).profile).toBe('standard');
    expect(res.headers['content-security-policy']).toContain("connect-src 'self' https://mock.example:8443;");
  });

  it('keeps a setting that contains markup from ending the script element', async () => {
    const username = 'x</script><script>alert(1)</script>';
    const server = await pageApp(fakeBuild(), { AUTH_USERNAME: username });
    const res = await server.inject({ method: 'GET', url: '/' });
    expect(res.body).not.toContain('</script><script>');
    expect((configIn(res.body) as { auth: { username: string } }).auth.username).toBe(username);
    expect(scriptSafeJson({ a: '<!--\u2028' })).toBe('{"a":"\\u003c!--\\u2028"}');
  });

  it('serves the bundle under /demo/assets/ with a long cache, and nothing else from the build', async () => {
    const server = await pageApp(fakeBuild());
    const asset = await server.inject({ method: 'GET', url: '/demo/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1);\n');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await server.inject({ method: 'GET', url: '/demo/assets/../index.html' })).statusCode).toBe(404);
    expect((await server.inject({ method: 'GET', url: '/demo/assets/missing.js' })).statusCode).toBe(404);
  });

  it('answers other methods with 405 and Allow', async () => {
    const server = await pageApp(fakeBuild());
    const res = await server.inject({ method: 'POST', url: '/' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('says how to build the page when it is not built', async () => {
    const server = await pageApp(undefined);
    const res = await server.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe(
      'The demo page is not built. Run `npm run build` (or `npm start`, which builds), then open this page again.',
    );
  });

  it('refuses a build whose page has no configuration slot', async () => {
    const server = await pageApp(fakeBuild('<html></html>'));
    const res = await server.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe('The demo page build is damaged (its configuration slot is missing). Run `npm run build` again.');
  });
});
