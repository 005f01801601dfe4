// Every 4xx/5xx on a FHIR path is an OperationOutcome naming what was wrong (docs/behaviour.md, "Errors").
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE, bearer, buildTestApp, getToken, kickOff, pollUntilDone, type TestApp } from '../helper.js';

let t: TestApp;
let token: string;
beforeEach(async () => {
  t = await buildTestApp();
  token = await getToken(t.app);
});
afterEach(async () => {
  await t.app.close();
});

function expectOutcome(res: LightMyRequestResponse, status: number, code: string, diagnostics: string | RegExp) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
  const body = res.json() as { resourceType: string; issue: { code: string; diagnostics: string; severity: string }[] };
  expect(body.resourceType).toBe('OperationOutcome');
  expect(body.issue).toHaveLength(1);
  expect(body.issue[0]!.code).toBe(code);
  expect(body.issue[0]!.severity).toBe(status >= 500 ? 'fatal' : 'error');
  if (typeof diagnostics === 'string') expect(body.issue[0]!.diagnostics).toContain(diagnostics);
  else expect(body.issue[0]!.diagnostics).toMatch(diagnostics);
  expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
}

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { ...bearer(token), ...headers } });

describe('kick-off errors (before any job exists)', () => {
  it.each([
    ['?_type=Banana', 400, 'invalid', '_type names "Banana"'],
    ['?_type=Patient,AllergyIntoleranceX', 400, 'invalid', '"AllergyIntoleranceX"'],
    ['?_type=', 400, 'invalid', '_type has an empty value'],
    ['?_since=2020-01-01T00:00:00Z', 400, 'not-supported', 'documents only the _type parameter'],
    ['?_outputFormat=ndjson', 400, 'not-supported', '"_outputFormat"'],
  ])('GET $export%s → %i %s', async (query, status, code, message) => {
    const res = await kickOff(t.app, token, query);
    expectOutcome(res, status, code, message);
    expect(t.app.store.repos().jobs.unfinished()).toEqual([]);
  });

  it('POST with a body that is not JSON → 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${BASE}/fhir/$export`,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"resourceType": "Parameters",',
    });
    expectOutcome(res, 400, 'invalid', /could not be read: it is not valid JSON/);
    const fhir = await t.app.inject({
      method: 'POST',
      url: `${BASE}/fhir/$export`,
      headers: { ...bearer(token), 'content-type': 'application/fhir+json' },
      payload: '',
    });
    expectOutcome(fhir, 400, 'invalid', /could not be read: it is empty/);
  });

  it.each([
    ['text/plain', 'resourceType=Parameters'],
    ['application/x-www-form-urlencoded', '_type=Patient'],
    ['application/xml', '<Parameters/>'],
  ])('POST with a body of type %s → 415, naming the types it reads', async (contentType, payload) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${BASE}/fhir/$export`,
      headers: { ...bearer(token), 'content-type': contentType },
      payload,
    });
    expectOutcome(res, 415, 'not-supported', /application\/fhir\+json/);
    expect(t.app.store.repos().jobs.unfinished()).toEqual([]);
  });

  it('POST with a body that is not Parameters → 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${BASE}/fhir/$export`,
      headers: bearer(token),
      payload: { resourceType: 'Patient' },
    });
    expectOutcome(res, 400, 'invalid', 'must be a FHIR Parameters resource');
  });

  it('POST with another content type → 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${BASE}/fhir/$export`,
      headers: { ...bearer(token), 'content-type': 'application/xml' },
      payload: '<Parameters/>',
    });
    expectOutcome(res, 415, 'not-supported', 'content type');
  });

  it('POST with a body over the limit → 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${BASE}/fhir/$export`,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: JSON.stringify({ resourceType: 'Parameters', pad: 'x'.repeat(1024 * 1024) }),
    });
    expectOutcome(res, 413, 'too-costly', 'larger than');
  });

  it('POST with parameters in the URL → 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${BASE}/fhir/$export?_type=Patient`,
      headers: bearer(token),
      payload: { resourceType: 'Parameters', parameter: [] },
    });
    expectOutcome(res, 400, 'invalid', 'Parameters body');
  });

  it('lenient handling proceeds and reports each ignored item in the error files', async () => {
    const res = await kickOff(t.app, token, '?_type=Patient,Banana&_since=2020', { prefer: 'handling=lenient' });
    expect(res.statusCode).toBe(202);
    const { final } = await pollUntilDone(t, res.headers['content-location'] as string, token);
    const m = final.json() as { output: { type: string }[]; error: { type: string; url: string; count: number }[] };
    expect([...new Set(m.output.map((e) => e.type))]).toEqual(['Patient']);
    expect(m.error).toHaveLength(1);
    expect(m.error[0]).toMatchObject({ type: 'OperationOutcome', count: 2 });
    const file = await get(`${BASE}${m.error[0]!.url}`);
    expect(file.statusCode).toBe(200);
    const lines = file.body.trimEnd().split('\n').map((l) => JSON.parse(l) as { issue: { diagnostics: string }[] });
    expect(lines).toHaveLength(2);
    expect(lines[0]!.issue[0]!.diagnostics).toContain('"Banana"');
    expect(lines[1]!.issue[0]!.diagnostics).toContain('"_since"');
  });
});

describe('poll errors', () => {
  const poll = (query: string) => get(`${BASE}/fhir/$export-poll-status${query}`);

  it.each([
    ['', 400, 'invalid', '_jobId parameter is required'],
    ['?_jobId=', 400, 'invalid', '_jobId parameter is required'],
    ['?_jobId=123', 400, 'invalid', '_jobId "123" is not a job id'],
    ['?_jobId=../../etc/passwd', 400, 'invalid', 'is not a job id'],
    ['?_jobId=a&_jobId=b', 400, 'invalid', '_jobId must be given once'],
    [`?_jobId=${'x'.repeat(5000)}`, 400, 'invalid', `_jobId "${'x'.repeat(80)}… (5000 characters)" is not a job id`],
    ['?_jobId=9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d', 404, 'not-found', 'No export job 9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d'],
  ])('GET poll-status%s → %i', async (query, status, code, message) => {
    expectOutcome(await poll(query), status, code, message);
  });

  it('DELETE of an unknown job → 404', async () => {
    const res = await t.app.inject({
      method: 'DELETE',
      url: `${BASE}/fhir/$export-poll-status?_jobId=9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d`,
      headers: bearer(token),
    });
    expectOutcome(res, 404, 'not-found', 'No export job');
  });
});

describe('download errors', () => {
  it('an unknown file → 404', async () => {
    expectOutcome(await get(`${BASE}/file/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d/download`), 404, 'not-found', 'No file');
  });
  it('a malformed file id → 400', async () => {
    expectOutcome(await get(`${BASE}/file/not-a-uuid/download`), 400, 'invalid', '"not-a-uuid" is not a file id');
  });
  it('an id too long for the router → 400, with the request id like every answer', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${BASE}/file/${'a'.repeat(300)}/download`, headers: { ...bearer(token), 'x-request-id': 'long-id-1' } });
    expectOutcome(res, 400, 'invalid', 'A path segment is longer than');
    expect(res.headers['x-request-id']).toBe('long-id-1');
  });
});

describe('methods and paths', () => {
  it.each([
    ['PUT', `${BASE}/fhir/$export`, 'GET, POST'],
    ['DELETE', `${BASE}/fhir/$export`, 'GET, POST'],
    ['POST', `${BASE}/fhir/$export-poll-status?_jobId=x`, 'GET, DELETE, HEAD'],
    ['PATCH', `${BASE}/file/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d/download`, 'GET, HEAD'],
    ['GET', '/oauth/token', 'POST'],
  ] as const)('%s %s → 405 with Allow', async (method, url, allow) => {
    const res = await t.app.inject({ method, url, headers: bearer(token) });
    expectOutcome(res, 405, 'not-supported', `Method ${method} is not allowed here`);
    expect(res.headers.allow).toBe(allow);
  });

  it('HEAD on the kick-off → 405, and no job is started', async () => {
    const res = await t.app.inject({ method: 'HEAD', url: `${BASE}/fhir/$export`, headers: bearer(token) });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
    expect(t.app.store.repos().db.prepare('SELECT COUNT(*) FROM job').pluck().get()).toBe(0);
  });

  it('an unknown path → 404 OperationOutcome', async () => {
    expectOutcome(await get(`${BASE}/fhir/Patient`), 404, 'not-found', `Nothing here: GET ${BASE}/fhir/Patient`);
  });
});

describe('authentication', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['no token', {}, 'needs an access token'],
    ['a malformed header', { authorization: 'Token abc' }, 'must be "Bearer <token>"'],
    ['an unknown token', { authorization: 'Bearer abc' }, 'not valid'],
  ];
  it.each(cases)('%s → 401 + WWW-Authenticate on every FHIR path', async (_name, headers, message) => {
    for (const [method, url] of [
      ['GET', `${BASE}/fhir/$export`],
      ['POST', `${BASE}/fhir/$export`],
      ['GET', `${BASE}/fhir/$export-poll-status?_jobId=9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d`],
      ['DELETE', `${BASE}/fhir/$export-poll-status?_jobId=9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d`],
      ['GET', `${BASE}/file/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d/download`],
    ] as const) {
      const res = await t.app.inject({ method, url, headers });
      expectOutcome(res, 401, 'login', message);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('an expired token → 401 that says so', async () => {
    t.clock.advance(1800 * 1000);
    const res = await kickOff(t.app, token);
    expectOutcome(res, 401, 'login', 'expired');
  });

  it('with AUTH=off no token is needed', async () => {
    const off = await buildTestApp({ AUTH: 'off' });
    try {
      const res = await off.app.inject({ method: 'GET', url: `${BASE}/fhir/$export?_type=Patient` });
      expect(res.statusCode).toBe(202);
    } finally {
      await off.app.close();
    }
  });
});

describe('which FHIR paths need a token', () => {
  it('every Group path, HEAD included, answers 401 without one; the discovery documents do not need one', async () => {
    const standard = await buildTestApp({ PROFILE: 'standard' });
    try {
      for (const [method, url] of [
        ['GET', `${BASE}/fhir/Group`],
        ['GET', `${BASE}/fhir/Group?name=a`],
        ['GET', `${BASE}/fhir/Group/some-group`],
        ['HEAD', `${BASE}/fhir/Group/some-group`],
        ['GET', `${BASE}/fhir/Patient/$export`],
        ['GET', `${BASE}/fhir/Group/some-group/$export`],
      ] as const) {
        const res = await standard.app.inject({ method, url });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
      for (const url of [`${BASE}/fhir/metadata`, `${BASE}/fhir/.well-known/smart-configuration`]) {
        expect((await standard.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
      }
    } finally {
      await standard.app.close();
    }
  });

  it('without a token, a wrong method still gets 405, an unknown path 404 and a CORS preflight 204', async () => {
    const put = await t.app.inject({ method: 'PUT', url: `${BASE}/fhir/$export-poll-status?_jobId=x` });
    expectOutcome(put, 405, 'not-supported', 'Method PUT is not allowed here');
    expectOutcome(await t.app.inject({ method: 'GET', url: `${BASE}/fhir/Patient` }), 404, 'not-found', 'Nothing here');
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: `${BASE}/fhir/Group`,
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(204);
  });
});
