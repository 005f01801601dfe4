// An OperationOutcome is sent as application/json when the client's Accept prefers it, else as
// application/fhir+json, in both profiles; the manifest is application/json, as the Bulk Data IG
// says (docs/behaviour.md, "Content negotiation"). The cancel requests are those of SMART's
// Bulk Data Testing suite ("Exports can be canceled"): its HTTP client asks for
// `Accept: application/json` and reads the body only when the answer says so. Downloads are
// NDJSON whatever Accept says, compressed as Accept-Encoding allows.
import { gunzipSync, inflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fhirJsonMediaType } from '../../src/fhir/media-type.js';
import { BASE, bearer, buildTestApp, getToken, kickOff, pathOf, pollUntilDone, type TestApp } from '../helper.js';
import { ASYNC, get, t, token, useStandardApp } from './session.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const FHIR_TYPE = 'application/fhir+json; charset=utf-8';

describe('fhirJsonMediaType', () => {
  it.each([
    [undefined, 'application/fhir+json'],
    ['', 'application/fhir+json'],
    ['application/json', 'application/json'],
    ['application/json, text/plain, */*', 'application/json'],
    ['application/fhir+json', 'application/fhir+json'],
    ['application/fhir+json, */*; q=0.1', 'application/fhir+json'],
    ['*/*', 'application/fhir+json'],
    ['application/json, application/fhir+json', 'application/fhir+json'],
    ['application/json;q=0.5, application/fhir+json', 'application/fhir+json'],
    ['application/fhir+json;q=0.5, application/json', 'application/json'],
    ['application/*, application/fhir+json;q=0.2', 'application/json'],
    ['Application/JSON', 'application/json'],
    ['application/json;q=0', 'application/fhir+json'],
  ])('Accept %j → %s', (accept, expected) => {
    expect(fhirJsonMediaType(accept)).toBe(expected);
  });
});

describe('standard profile', () => {
  useStandardApp();

  it('cancel as the testing suite sends it: 202 and then 404, both OperationOutcomes as application/json', async () => {
    const kick = await get(`${BASE}/fhir/$export`);
    expect(kick.statusCode).toBe(202);
    expect(kick.headers['content-type']).toBe(FHIR_TYPE);
    const location = pathOf(kick.headers['content-location'] as string);
    const del = () => t.app.inject({ method: 'DELETE', url: location, headers: { ...bearer(token), accept: 'application/json' } });
    const first = await del();
    expect(first.statusCode).toBe(202);
    expect(first.headers['content-type']).toBe(JSON_TYPE);
    expect(first.json().resourceType).toBe('OperationOutcome');
    const second = await del();
    expect(second.statusCode).toBe(404);
    expect(second.headers['content-type']).toBe(JSON_TYPE);
    expect(second.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
  });

  it('without a preference for application/json, the same answers are application/fhir+json', async () => {
    const kick = await get(`${BASE}/fhir/$export`);
    const location = pathOf(kick.headers['content-location'] as string);
    for (const accept of [undefined, 'application/fhir+json', '*/*']) {
      const headers = { ...bearer(token), ...(accept ? { accept } : {}) };
      const res = await t.app.inject({ method: 'DELETE', url: location, headers });
      expect(res.headers['content-type'], String(accept)).toBe(FHIR_TYPE);
      expect(res.json().resourceType).toBe('OperationOutcome');
    }
  });

  it('a refused kick-off and an unknown path follow Accept too', async () => {
    const refused = await get(`${BASE}/fhir/$export?_type=Banana`, { ...ASYNC, accept: 'application/fhir+json;q=0.5, application/json' });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toBe(JSON_TYPE);
    const missing = await get(`${BASE}/fhir/Nothing`, { accept: 'application/json' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toBe(JSON_TYPE);
    expect(missing.json().resourceType).toBe('OperationOutcome');
  });

  it('the manifest is application/json whatever Accept says', async () => {
    const kick = await get(`${BASE}/fhir/$export?_type=Patient`);
    for (const accept of ['application/json', 'application/fhir+json']) {
      const { final } = await pollUntilDone(t, kick.headers['content-location'] as string, token);
      const res = await t.app.inject({ method: 'GET', url: pathOf(kick.headers['content-location'] as string), headers: { ...bearer(token), accept } });
      expect(final.statusCode).toBe(200);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type'], accept).toBe(JSON_TYPE);
    }
  });
});

describe('verto profile', () => {
  let v: TestApp;
  let vToken: string;
  beforeEach(async () => {
    v = await buildTestApp();
    vToken = await getToken(v.app);
  });
  afterEach(async () => {
    await v.app.close();
  });

  it('OperationOutcomes follow Accept: the kick-off, its refusal, the cancel and a 404', async () => {
    const accept = { accept: 'application/json' };
    const kick = await kickOff(v.app, vToken, '?_type=Patient', accept);
    expect(kick.statusCode).toBe(202);
    expect(kick.headers['content-type']).toBe(JSON_TYPE);
    const refused = await kickOff(v.app, vToken, '?_since=2020-01-01', accept);
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toBe(JSON_TYPE);
    const location = pathOf(kick.headers['content-location'] as string);
    const cancel = await v.app.inject({ method: 'DELETE', url: location, headers: { ...bearer(vToken), ...accept } });
    expect(cancel.statusCode).toBe(202);
    expect(cancel.headers['content-type']).toBe(JSON_TYPE);
    const gone = await v.app.inject({ method: 'GET', url: location, headers: { ...bearer(vToken), ...accept } });
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['content-type']).toBe(JSON_TYPE);
    const plain = await kickOff(v.app, vToken, '?_type=Patient');
    expect(plain.headers['content-type']).toBe(FHIR_TYPE);
  });
});

describe('downloads as Bulk Data clients ask for them (standard profile)', () => {
  useStandardApp();

  it.each([
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'gzip'],
    ['deflate', 'deflate'],
    ['identity', undefined],
  ])('Accept: application/fhir+ndjson, Accept-Encoding: %s → NDJSON, %s', async (encoding, expected) => {
    const kick = await get(`${BASE}/fhir/$export?_type=Patient`);
    const { final } = await pollUntilDone(t, kick.headers['content-location'] as string, token);
    const entry = (final.json() as { output: { url: string; count: number }[] }).output[0]!;
    const res = await t.app.inject({
      method: 'GET',
      url: pathOf(entry.url),
      headers: { ...bearer(token), accept: 'application/fhir+ndjson', 'accept-encoding': encoding },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/fhir+ndjson');
    expect(res.headers['content-encoding']).toBe(expected);
    const body = expected === 'gzip' ? gunzipSync(res.rawPayload) : expected === 'deflate' ? inflateSync(res.rawPayload) : res.rawPayload;
    const rows = body.toString('utf8').trimEnd().split('\n');
    expect(rows).toHaveLength(entry.count);
    for (const row of rows) expect((JSON.parse(row) as { resourceType: string }).resourceType).toBe('Patient');
  });
});
