// GET {BASE}/fhir/.well-known/smart-configuration: the standard profile's SMART discovery.
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, buildTestApp, type TestApp } from '../helper.js';
import { ORIGIN } from './smart-helper.js';

const PATH = `${BASE}/fhir/.well-known/smart-configuration`;

const SCOPES = ['*', ...EXPORTABLE_TYPES, 'Group', 'Provenance'].flatMap(
  (type) => [`system/${type}.read`, `system/${type}.rs`],
);

describe('standard profile', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ PROFILE: 'standard', PUBLIC_BASE_URL: ORIGIN });
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('describes SMART Backend Services at this token endpoint, without a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: PATH });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({
      token_endpoint: `${ORIGIN}/oauth/token`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      grant_types_supported: ['client_credentials'],
      scopes_supported: SCOPES,
      capabilities: ['client-confidential-asymmetric', 'permission-v1', 'permission-v2'],
    });
  });

  it('answers JSON whatever the Accept header asks for', async () => {
    const res = await t.app.inject({ method: 'GET', url: PATH, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('answers other methods 405', async () => {
    const res = await t.app.inject({ method: 'POST', url: PATH });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});

describe('without PUBLIC_BASE_URL', () => {
  it('builds token_endpoint from the request', async () => {
    const t = await buildTestApp({ PROFILE: 'standard' });
    try {
      const res = await t.app.inject({ method: 'GET', url: PATH, headers: { host: 'mock.example:8080' } });
      expect(res.json().token_endpoint).toBe('http://mock.example:8080/oauth/token');
    } finally {
      await t.app.close();
    }
  });
});

describe('verto profile', () => {
  it('answers 404 with an OperationOutcome saying where it is served', async () => {
    const t = await buildTestApp();
    try {
      const res = await t.app.inject({ method: 'GET', url: PATH });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'not-found',
            diagnostics:
              'The SMART configuration is served in the standard profile only (PROFILE=standard); ' +
              'in the verto profile the token endpoint takes the password grant, as Verto documents.',
          },
        ],
      });
    } finally {
      await t.app.close();
    }
  });
});
