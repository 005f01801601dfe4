// A SMART token reads only the types its scope covers: at kick-off (an explicit _type outside
// the scope is refused before any job exists; without _type the export is limited) and at
// download (a file of another type is refused with 403 insufficient_scope).
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { BASE, bearer, buildTestApp, getToken, parseNdjson, pathOf, pollUntilDone, type Manifest, type TestApp } from '../helper.js';
import { BULK_HEADERS, ORIGIN, makeKey, smartToken, writeClientsFile, type TestKey } from './smart-helper.js';

let etl: TestKey;
let other: TestKey;
let clientsFile: string;
let t: TestApp;

beforeAll(async () => {
  [etl, other] = await Promise.all([makeKey('ES384', 'etl-1'), makeKey('ES384', 'other-1')]);
  clientsFile = writeClientsFile({
    'etl-client': { jwks: { keys: [etl.publicJwk] } },
    'other-client': { jwks: { keys: [other.publicJwk] } },
  });
  t = await buildTestApp({ PROFILE: 'standard', SMART_CLIENTS: clientsFile, PUBLIC_BASE_URL: ORIGIN });
});
afterAll(async () => {
  await t.app.close();
});

const token = (scope: string, key = etl, clientId?: string) => smartToken(t.app, key, t.clock.now(), scope, clientId);

const kickOff = (tok: string, query: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: `${BASE}/fhir/$export${query}`, headers: { ...bearer(tok), ...BULK_HEADERS, ...headers } });

async function exportWith(tok: string, query: string, headers: Record<string, string> = {}): Promise<Manifest> {
  const kick = await kickOff(tok, query, headers);
  expect(kick.statusCode).toBe(202);
  const { final } = await pollUntilDone(t, kick.headers['content-location'] as string, tok);
  expect(final.statusCode).toBe(200);
  return final.json() as Manifest;
}

/** A manifest url, relative to {BASE} (verto profile) or absolute (standard profile). */
const fileUrl = (url: string) => (/^https?:/.test(url) ? pathOf(url) : `${BASE}${url}`);

const download = (url: string, tok: string): Promise<LightMyRequestResponse> =>
  t.app.inject({ method: 'GET', url: fileUrl(url), headers: bearer(tok) });

describe('downloads', () => {
  let manifest: Manifest;
  let patientFile: string;
  let conditionFile: string;
  beforeAll(async () => {
    manifest = await exportWith(await token('system/*.read'), '?_type=Patient,Condition');
    patientFile = manifest.output.find((o) => o.type === 'Patient')!.url;
    conditionFile = manifest.output.find((o) => o.type === 'Condition')!.url;
  });

  it('serves every file to a token whose scope covers its type', async () => {
    const tok = await token('system/*.read');
    for (const entry of manifest.output) {
      const res = await download(entry.url, tok);
      expect(res.statusCode).toBe(200);
      expect(parseNdjson(res.body).every((r) => r.resourceType === entry.type)).toBe(true);
    }
  });

  it('refuses, with 403 insufficient_scope, a file whose type the token does not cover', async () => {
    const tok = await token('system/Patient.read');
    expect((await download(patientFile, tok)).statusCode).toBe(200);
    const res = await download(conditionFile, tok);
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(res.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="system/Condition.read"');
    expect(res.json()).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'forbidden',
          diagnostics: 'This token\'s scope "system/Patient.read" does not cover Condition; get a token with system/Condition.read (or .rs).',
        },
      ],
    });
  });

  it('reads v2 scopes the same way', async () => {
    const tok = await token('system/Condition.rs');
    expect((await download(conditionFile, tok)).statusCode).toBe(200);
    expect((await download(patientFile, tok)).statusCode).toBe(403);
  });

  it('gives a password-grant token full access to its own files', async () => {
    const tok = await getToken(t.app);
    const own = await exportWith(tok, '?_type=Patient,Condition');
    for (const entry of own.output) expect((await download(entry.url, tok)).statusCode).toBe(200);
  });

  it("answers another client's token 404, whatever its scope", async () => {
    const res = await download(conditionFile, await token('system/*.read', other, 'other-client'));
    expect(res.statusCode).toBe(404);
  });

  it('serves the error file of a job to any token of its client', async () => {
    const lenient = await exportWith(await token('system/*.read'), '?_type=Patient,NoSuchType', { prefer: 'respond-async, handling=lenient' });
    expect(lenient.error).toHaveLength(1);
    const res = await download(lenient.error[0]!.url, await token('system/Patient.read'));
    expect(res.statusCode).toBe(200);
    expect(parseNdjson(res.body)[0]!.resourceType).toBe('OperationOutcome');
  });
});

describe('kick-off', () => {
  it('refuses a _type outside the scope before any job exists', async () => {
    const fresh = await buildTestApp({ PROFILE: 'standard', SMART_CLIENTS: clientsFile, PUBLIC_BASE_URL: ORIGIN });
    try {
      const tok = await smartToken(fresh.app, etl, fresh.clock.now(), 'system/Patient.read system/Encounter.rs');
      const res = await fresh.app.inject({
        method: 'GET',
        url: `${BASE}/fhir/$export?_type=Patient,Condition,Observation`,
        headers: { ...bearer(tok), ...BULK_HEADERS },
      });
      expect(res.statusCode).toBe(403);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer error="insufficient_scope", scope="system/Condition.read system/Observation.read"',
      );
      expect(res.json().issue).toEqual([
        {
          severity: 'error',
          code: 'forbidden',
          diagnostics:
            '_type asks for Condition, Observation, outside this token\'s scope "system/Patient.read system/Encounter.rs"; ' +
            'ask only for covered types, or get a token whose scope includes them.',
          expression: ['_type'],
        },
      ]);
      expect(fresh.app.store.repos().jobs.unfinished()).toEqual([]);
    } finally {
      await fresh.app.close();
    }
  });

  it('refuses a POST kick-off the same way', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${BASE}/fhir/$export`,
      headers: { ...bearer(await token('system/Patient.read')), ...BULK_HEADERS, 'content-type': 'application/fhir+json' },
      payload: { resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Observation' }] },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().issue[0].code).toBe('forbidden');
  });

  it('without _type, exports only the types the scope covers', async () => {
    const manifest = await exportWith(await token('system/Patient.read system/Condition.rs'), '');
    expect([...new Set(manifest.output.map((o) => o.type))]).toEqual(['Patient', 'Condition']);
  });

  it('without _type and with system/*.read, exports every type', async () => {
    const manifest = await exportWith(await token('system/*.read'), '');
    expect([...new Set(manifest.output.map((o) => o.type))]).toEqual([...EXPORTABLE_TYPES]);
  });

  it('refuses an export none of whose types the scope covers', async () => {
    const res = await kickOff(await token('system/Group.read'), '');
    expect(res.statusCode).toBe(403);
    expect(res.json().issue[0].diagnostics).toBe(
      'This token\'s scope "system/Group.read" covers none of the types this export would hold ' +
        `(${EXPORTABLE_TYPES.join(', ')}).`,
    );
  });

  it('is unchanged for a password-grant token', async () => {
    expect((await kickOff(await getToken(t.app), '?_type=Observation')).statusCode).toBe(202);
  });
});

describe('with AUTH=off', () => {
  it('lets every request through with full access', async () => {
    const open = await buildTestApp({ PROFILE: 'standard', AUTH: 'off' });
    try {
      const res = await open.app.inject({ method: 'GET', url: `${BASE}/fhir/$export?_type=Condition`, headers: BULK_HEADERS });
      expect(res.statusCode).toBe(202);
    } finally {
      await open.app.close();
    }
  });
});

describe('Group read and search', () => {
  it('need a scope that covers Group', async () => {
    const patientsOnly = await token('system/Patient.read');
    const groupsToo = await token('system/Patient.read system/Group.read');
    for (const url of [`${BASE}/fhir/Group`]) {
      const refused = await t.app.inject({ method: 'GET', url, headers: bearer(patientsOnly) });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().issue[0].code).toBe('forbidden');
      const allowed = await t.app.inject({ method: 'GET', url, headers: bearer(groupsToo) });
      expect(allowed.statusCode).toBe(200);
      const id = allowed.json().entry[0].resource.id as string;
      expect((await t.app.inject({ method: 'GET', url: `${url}/${id}`, headers: bearer(patientsOnly) })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: `${url}/${id}`, headers: bearer(groupsToo) })).statusCode).toBe(200);
    }
  });
});

describe('includeAssociatedData', () => {
  const query = '?_type=Patient&includeAssociatedData=LatestProvenanceResources';

  it('adds the Provenance only for a token whose scope covers it, and each file downloads', async () => {
    const tok = await token('system/Patient.read system/Provenance.read');
    const manifest = await exportWith(tok, query);
    expect([...new Set(manifest.output.map((o) => o.type))]).toEqual(['Patient', 'Provenance']);
    for (const entry of manifest.output) expect((await download(entry.url, tok)).statusCode).toBe(200);
  });

  it('leaves the Provenance out for a token whose scope does not cover it, and says so in the error file', async () => {
    const tok = await token('system/Patient.read');
    const manifest = await exportWith(tok, query);
    expect(manifest.output.map((o) => o.type)).not.toContain('Provenance');
    expect(manifest.output.length).toBeGreaterThan(0);
    const errors = await Promise.all(manifest.error.map(async (e) => (await download(e.url, tok)).body));
    expect(errors.join('\n')).toContain("includeAssociatedData asks for Provenance, outside this token's scope");
  });
});
