// Produces every response the document declares, for every operation, so that the recorder
// (test/helper.ts) checks each one against it; afterwards, the responses produced must be
// exactly the documented ones (plus the 404 of an unknown path, the 405 of each path, a
// HEAD, which is checked as its GET, and the refusals of a request to an unknown path).
// Faults the suite cannot cause through the API (an unexpected error, a database still being
// created, a full queue, a failing export) are injected by stubbing one internal call.
import { connect, type AddressInfo } from 'node:net';
import type { HTTPMethods, InjectOptions } from 'fastify';
import supertest from 'supertest';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { serviceUnavailable } from '../../src/errors.js';
import { loadDocument } from '../../src/plugins/openapi.js';
import { BASE, bearer, buildTestApp, getToken, kickOff, pathOf, pollUntilDone, runExport, type TestApp } from '../helper.js';
import { documentedMethods, type OpenApiDocument } from './contract-validator.js';
import { producedResponses, recordUnhooked } from './recorder.js';
import { BULK_HEADERS, ORIGIN, credentialsForm, makeKey, requestToken, signAssertion, smartToken, writeClientsFile } from '../auth/smart-helper.js';

const TOKEN = '/oauth/token';
const EXPORT = `${BASE}/fhir/$export`;
const POLL = `${BASE}/fhir/$export-poll-status`;
const FILE = `${BASE}/file/{fileId}/download`;
const UNKNOWN_ID = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const PARAMETERS = { resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Patient' }] };

let t: TestApp | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await t?.app.close();
  t = undefined;
});

async function start(env: Record<string, string> = {}) {
  t = await buildTestApp(env);
  return { app: t.app, token: await getToken(t.app) };
}

const statusOf = async (options: InjectOptions) => (await t!.app.inject(options)).statusCode;

/** Sends `request` as written (inject always adds a Host header) and returns the raw answer. */
async function overSocket(request: string): Promise<string> {
  if (!t!.app.server.listening) await t!.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t!.app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** The status of the raw answer to `method url` sent without a Host header. */
const statusWithoutHost = async (method: string, url: string) =>
  Number((await overSocket(`${method} ${url} HTTP/1.1\r\nConnection: close\r\n\r\n`)).split(' ')[1]);

/** Every documented operation, as a method and a URL that reaches it (any id will do). */
function everyOperation(): [HTTPMethods, string][] {
  const document = loadDocument() as unknown as OpenApiDocument;
  return Object.keys(document.paths).flatMap((path) =>
    documentedMethods(document, path).map((method): [HTTPMethods, string] => [
      method as HTTPMethods,
      path.replace(/\{[^}]+\}/g, UNKNOWN_ID) + (path === POLL ? `?_jobId=${UNKNOWN_ID}` : ''),
    ]),
  );
}

/** Every store access answers 503, as while the first start creates the database. */
const stillSeeding = () =>
  vi.spyOn(t!.app.store, 'repos').mockImplementation(() => {
    throw serviceUnavailable('The server is still creating its data set; try again shortly.', 5);
  });
const boom = () => {
  throw new Error('an unexpected failure');
};

afterAll(() => {
  const document = loadDocument() as unknown as OpenApiDocument;
  const expected = new Set<string>(['GET /nope 404', 'GET /nope 400', 'GET /nope 503', `HEAD ${FILE} 200`, `HEAD ${EXPORT} 405`]);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of documentedMethods(document, path)) {
      const responses = (item[method.toLowerCase()] as { responses: Record<string, unknown> }).responses;
      for (const status of Object.keys(responses)) expected.add(`${method} ${path} ${status}`);
    }
    expected.add(`${documentedMethods(document, path).includes('PUT') ? 'PATCH' : 'PUT'} ${path} 405`);
  }
  const produced = [...producedResponses()];
  expect(produced.filter((r) => !expected.has(r)).sort(), 'produced but not expected').toEqual([]);
  expect([...expected].filter((r) => !producedResponses().has(r)).sort(), 'documented but never produced').toEqual([]);
});

describe(`POST ${TOKEN}`, () => {
  it('200, 400, 500, 503', async () => {
    const { app } = await start();
    const body = { grant_type: 'password', username: app.config.auth.username, password: app.config.auth.password };
    expect(await statusOf({ method: 'POST', url: TOKEN, payload: body })).toBe(200);
    expect(await statusOf({ method: 'POST', url: TOKEN, payload: { ...body, password: 'wrong' } })).toBe(400);
    const form = new URLSearchParams(body).toString();
    expect(
      await statusOf({ method: 'POST', url: TOKEN, payload: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    ).toBe(200);
    vi.spyOn(app.tokenService, 'issue').mockImplementation(boom);
    expect(await statusOf({ method: 'POST', url: TOKEN, payload: body })).toBe(500);
    vi.restoreAllMocks();
    stillSeeding();
    expect(await statusOf({ method: 'POST', url: TOKEN, payload: body })).toBe(503);
  });
});

describe(`GET and POST ${EXPORT}`, () => {
  it('202, 400, 401', async () => {
    const { token } = await start();
    expect((await kickOff(t!.app, token, '?_type=Patient,Condition')).statusCode).toBe(202);
    expect((await kickOff(t!.app, token, '?_type=Banana')).statusCode).toBe(400);
    expect(await statusOf({ method: 'GET', url: EXPORT })).toBe(401);
    const post = (payload: unknown, headers: Record<string, string> = {}) =>
      statusOf({ method: 'POST', url: EXPORT, payload: payload as string, headers: { ...bearer(token), ...headers } });
    expect(await post(PARAMETERS)).toBe(202);
    expect(await post(PARAMETERS, { 'content-type': 'application/fhir+json' })).toBe(202);
    expect(await post({ resourceType: 'Patient' })).toBe(400);
    expect(await statusOf({ method: 'POST', url: EXPORT, payload: PARAMETERS })).toBe(401);
    expect(await post(JSON.stringify({ ...PARAMETERS, pad: 'x'.repeat(1024 * 1024) }), { 'content-type': 'application/json' })).toBe(413);
    expect(await post('<Parameters/>', { 'content-type': 'application/xml' })).toBe(415);
  });

  it('429 when the queue is full, 500, 503', async () => {
    const { app, token } = await start();
    const post = () => statusOf({ method: 'POST', url: EXPORT, payload: PARAMETERS, headers: bearer(token) });
    vi.spyOn(app.jobRunner, 'hasRoom').mockReturnValue(false);
    expect((await kickOff(app, token)).statusCode).toBe(429);
    expect(await post()).toBe(429);
    vi.spyOn(app.jobRunner, 'hasRoom').mockImplementation(boom);
    expect((await kickOff(app, token)).statusCode).toBe(500);
    expect(await post()).toBe(500);
    vi.restoreAllMocks();
    stillSeeding();
    expect((await kickOff(app, token)).statusCode).toBe(503);
    expect(await post()).toBe(503);
  });
});

describe(`GET and DELETE ${POLL}`, () => {
  it('202 while running, 200 when done, 400, 401, 404', async () => {
    const { app, token } = await start({ JOB_MIN_DURATION_MS: '1000' });
    const location = (await kickOff(app, token, '?_type=Patient')).headers['content-location'] as string;
    expect(await statusOf({ method: 'GET', url: pathOf(location), headers: bearer(token) })).toBe(202);
    const { final } = await pollUntilDone(t!, location, token);
    expect(final.statusCode).toBe(200);
    expect(await statusOf({ method: 'GET', url: POLL, headers: bearer(token) })).toBe(400);
    expect(await statusOf({ method: 'GET', url: pathOf(location) })).toBe(401);
    expect(await statusOf({ method: 'GET', url: `${POLL}?_jobId=${UNKNOWN_ID}`, headers: bearer(token) })).toBe(404);
  });

  it('500 for a failed export, and for an unexpected error; 503', async () => {
    const { app, token } = await start();
    vi.spyOn(app.store.repos().resources, 'ridsAfter').mockImplementation(boom);
    const location = (await kickOff(app, token, '?_type=Patient')).headers['content-location'] as string;
    const { final } = await pollUntilDone(t!, location, token);
    expect(final.statusCode).toBe(500);
    vi.restoreAllMocks();
    stillSeeding();
    expect(await statusOf({ method: 'GET', url: pathOf(location), headers: bearer(token) })).toBe(503);
  });

  it('DELETE: 202, 400, 401, 404, 413, 415, 500, 503', async () => {
    const { app, token } = await start();
    const location = pathOf((await kickOff(app, token)).headers['content-location'] as string);
    const del = (url: string, extra: Partial<InjectOptions> = {}) =>
      statusOf({ method: 'DELETE', url, headers: bearer(token), ...extra });
    expect(await del(location, { payload: 'x'.repeat(1024 * 1024 + 1), headers: { ...bearer(token), 'content-type': 'text/plain' } })).toBe(413);
    expect(await del(location, { payload: '<cancel/>', headers: { ...bearer(token), 'content-type': 'application/xml' } })).toBe(415);
    expect(await del(location)).toBe(202);
    expect(await del(location)).toBe(404);
    expect(await del(POLL)).toBe(400);
    expect(await statusOf({ method: 'DELETE', url: location })).toBe(401);
    vi.spyOn(app.store.repos().jobs, 'cancel').mockImplementation(boom);
    const other = pathOf((await kickOff(app, token)).headers['content-location'] as string);
    expect(await del(other)).toBe(500);
    vi.restoreAllMocks();
    stillSeeding();
    expect(await del(other)).toBe(503);
  });
});

describe(`GET ${POLL}: 429 when polled too soon`, () => {
  it('429 with POLL_RATE_LIMIT=on', async () => {
    const { app, token } = await start({ JOB_MIN_DURATION_MS: '5000', POLL_RATE_LIMIT: 'on' });
    const poll = pathOf((await kickOff(app, token, '?_type=Patient')).headers['content-location'] as string);
    expect(await statusOf({ method: 'GET', url: poll, headers: bearer(token) })).toBe(202);
    expect(await statusOf({ method: 'GET', url: poll, headers: bearer(token) })).toBe(429);
  });
});

describe('standard profile: Patient- and Group-level kick-offs', () => {
  const ASYNC = { accept: 'application/fhir+json', prefer: 'respond-async' };

  /** Every answer of a kick-off at `url`, GET and POST, in the standard profile. */
  async function everyKickOffAnswer(url: (app: TestApp['app']) => string) {
    const { app, token } = await start({ PROFILE: 'standard' });
    const at = url(app);
    const get = (headers: Record<string, string> = { ...bearer(token), ...ASYNC }) => statusOf({ method: 'GET', url: at, headers });
    const post = (payload: unknown = PARAMETERS, headers: Record<string, string> = {}) =>
      statusOf({ method: 'POST', url: at, payload: payload as string, headers: { ...bearer(token), ...ASYNC, ...headers } });
    expect([await get(), await post()]).toEqual([202, 202]);
    expect([await get(bearer(token)), await post({ resourceType: 'Patient' })]).toEqual([400, 400]);
    expect([await get(ASYNC), await statusOf({ method: 'POST', url: at, payload: PARAMETERS, headers: ASYNC })]).toEqual([401, 401]);
    expect(await post(JSON.stringify({ ...PARAMETERS, pad: 'x'.repeat(1024 * 1024) }), { 'content-type': 'application/json' })).toBe(413);
    expect(await post('<Parameters/>', { 'content-type': 'application/xml' })).toBe(415);
    vi.spyOn(app.jobRunner, 'hasRoom').mockReturnValue(false);
    expect([await get(), await post()]).toEqual([429, 429]);
    vi.spyOn(app.jobRunner, 'hasRoom').mockImplementation(boom);
    expect([await get(), await post()]).toEqual([500, 500]);
    vi.restoreAllMocks();
    stillSeeding();
    expect([await get(), await post()]).toEqual([503, 503]);
  }

  const firstGroupId = (app: TestApp['app']) => (JSON.parse(app.store.repos().groups.all()[0]!) as { id: string }).id;

  it(`${BASE}/fhir/Patient/$export: 202, 400, 401, 413, 415, 429, 500, 503`, async () => {
    await everyKickOffAnswer(() => `${BASE}/fhir/Patient/$export`);
  });

  it(`${BASE}/fhir/Group/{groupId}/$export: 202, 400, 401, 413, 415, 429, 500, 503`, async () => {
    await everyKickOffAnswer((app) => `${BASE}/fhir/Group/${firstGroupId(app)}/$export`);
  });

  it('404 in the Verto profile, and for an unknown Group', async () => {
    const { token } = await start();
    for (const method of ['GET', 'POST'] as const) {
      const payload = method === 'POST' ? PARAMETERS : undefined;
      for (const url of [`${BASE}/fhir/Patient/$export`, `${BASE}/fhir/Group/${UNKNOWN_ID}/$export`]) {
        expect(await statusOf({ method, url, payload, headers: bearer(token) }), `${method} ${url}`).toBe(404);
      }
    }
  });
});

describe('standard profile: Groups and metadata', () => {
  it(`${BASE}/fhir/Group/{groupId}: 200, 401, 404, 500, 503`, async () => {
    const { app, token } = await start({ PROFILE: 'standard' });
    const id = (JSON.parse(app.store.repos().groups.all()[0]!) as { id: string }).id;
    const read = (groupId: string, headers: Record<string, string> = bearer(token)) => statusOf({ method: 'GET', url: `${BASE}/fhir/Group/${groupId}`, headers });
    expect(await read(id)).toBe(200);
    expect(await read(id, {})).toBe(401);
    expect(await read(UNKNOWN_ID)).toBe(404);
    vi.spyOn(app.store.repos().groups, 'read').mockImplementation(boom);
    expect(await read(id)).toBe(500);
    vi.restoreAllMocks();
    stillSeeding();
    expect(await read(id)).toBe(503);
  });

  it(`${BASE}/fhir/Group: 200, 400, 401, 404 (Verto profile), 500, 503`, async () => {
    const { app, token } = await start({ PROFILE: 'standard' });
    const search = (query: string, headers: Record<string, string> = bearer(token)) => statusOf({ method: 'GET', url: `${BASE}/fhir/Group${query}`, headers });
    expect(await search('')).toBe(200);
    expect(await search('?name=patients&_summary=true')).toBe(200);
    expect(await search('?_count=1')).toBe(400);
    expect(await search('', {})).toBe(401);
    vi.spyOn(app.store.repos().groups, 'all').mockImplementation(boom);
    expect(await search('')).toBe(500);
    vi.restoreAllMocks();
    stillSeeding();
    expect(await search('')).toBe(503);
    await t!.app.close();
    const verto = await start();
    expect(await statusOf({ method: 'GET', url: `${BASE}/fhir/Group`, headers: bearer(verto.token) })).toBe(404);
    expect(await statusOf({ method: 'GET', url: `${BASE}/fhir/Group/${UNKNOWN_ID}`, headers: bearer(verto.token) })).toBe(404);
  });

  it(`${BASE}/fhir/metadata: 200 in the standard profile, 404 in the Verto profile`, async () => {
    await start({ PROFILE: 'standard' });
    expect(await statusOf({ method: 'GET', url: `${BASE}/fhir/metadata` })).toBe(200);
    await t!.app.close();
    await start();
    expect(await statusOf({ method: 'GET', url: `${BASE}/fhir/metadata` })).toBe(404);
  });
});

describe('standard profile: SMART Backend Services', () => {
  it('client_credentials tokens (200, 401), 403 outside their scope, the SMART configuration', async () => {
    const key = await makeKey('ES384', 'etl-key');
    const clients = writeClientsFile({ 'etl-client': { jwks: { keys: [key.publicJwk] } } });
    const { app } = await start({ PROFILE: 'standard', SMART_CLIENTS: clients, PUBLIC_BASE_URL: ORIGIN });
    const now = t!.clock.now();
    const wrongAud = await signAssertion(key, now, { claims: { aud: 'http://elsewhere.example/oauth/token' } });
    expect((await requestToken(app, credentialsForm(wrongAud))).statusCode).toBe(401);
    const everything = await smartToken(app, key, now, 'system/*.read');
    const patientsOnly = await smartToken(app, key, now, 'system/Patient.read');

    // A Condition file of this client's own export, then refused to its Patient-only token.
    const kick = await t!.app.inject({ method: 'GET', url: `${EXPORT}?_type=Condition`, headers: { ...bearer(everything), ...BULK_HEADERS } });
    const { final } = await pollUntilDone(t!, kick.headers['content-location'] as string, everything);
    const file = pathOf((final.json() as { output: { url: string }[] }).output[0]!.url);
    expect(await statusOf({ method: 'GET', url: file, headers: bearer(patientsOnly) })).toBe(403);

    const groupId = (JSON.parse(app.store.repos().groups.all()[0]!) as { id: string }).id;
    const conditions = { resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Condition' }] };
    for (const url of [EXPORT, `${BASE}/fhir/Patient/$export`, `${BASE}/fhir/Group/${groupId}/$export`]) {
      const headers = { ...bearer(patientsOnly), ...BULK_HEADERS };
      expect(await statusOf({ method: 'GET', url: `${url}?_type=Condition`, headers }), url).toBe(403);
      expect(await statusOf({ method: 'POST', url, payload: conditions, headers }), url).toBe(403);
    }

    expect(await statusOf({ method: 'GET', url: `${BASE}/fhir/Group`, headers: bearer(patientsOnly) })).toBe(403);
    expect(await statusOf({ method: 'GET', url: `${BASE}/fhir/Group/${groupId}`, headers: bearer(patientsOnly) })).toBe(403);

    expect(await statusOf({ method: 'GET', url: `${BASE}/fhir/.well-known/smart-configuration` })).toBe(200);
    await t!.app.close();
    await start();
    expect(await statusOf({ method: 'GET', url: `${BASE}/fhir/.well-known/smart-configuration` })).toBe(404);
  });
});

describe(`GET ${FILE}`, () => {
  it('200 (plain and gzip), 400, 401, 404, 500, 503', async () => {
    const { app, token } = await start();
    const manifest = await runExport(t!, '?_type=Patient', token);
    const url = `${BASE}${manifest.output[0]!.url}`;
    const get = (u: string, headers: Record<string, string> = {}) =>
      statusOf({ method: 'GET', url: u, headers: { ...bearer(token), ...headers } });
    expect(await get(url)).toBe(200);
    expect(await get(url, { 'accept-encoding': 'gzip' })).toBe(200);
    expect(await statusOf({ method: 'HEAD', url, headers: bearer(token) })).toBe(200);
    expect(await get(`${BASE}/file/abc/download`)).toBe(400);
    expect(await statusOf({ method: 'GET', url })).toBe(401);
    expect(await get(`${BASE}/file/${UNKNOWN_ID}/download`)).toBe(404);
    vi.spyOn(app.store.repos().jobs, 'file').mockImplementation(boom);
    expect(await get(url)).toBe(500);
    vi.restoreAllMocks();
    stillSeeding();
    expect(await get(url)).toBe(503);
  });
});

describe(`GET ${FILE} under the download faults, and the signed URLs they hand out`, () => {
  it('429 (download-throttled), 307 (download-redirect); the signed URL: 200, 400, 403, 404, 500, 503', async () => {
    const { app, token } = await start();
    const faulted = async (scenario: string) => {
      const location = (await kickOff(app, token, '?_type=Patient', { 'x-mock-scenario': scenario })).headers['content-location'] as string;
      const { final } = await pollUntilDone(t!, location, token);
      return `${BASE}${(final.json() as { output: { url: string }[] }).output[0]!.url}`;
    };
    const throttled = await faulted('download-throttled');
    expect(await statusOf({ method: 'GET', url: throttled, headers: bearer(token) })).toBe(429);
    const redirect = await app.inject({ method: 'GET', url: await faulted('download-redirect'), headers: bearer(token) });
    expect(redirect.statusCode).toBe(307);
    const signed = pathOf(redirect.headers.location as string);
    expect(await statusOf({ method: 'GET', url: signed })).toBe(200);
    expect(await statusOf({ method: 'GET', url: signed.replace(/expires=\d+&/, '') })).toBe(400);
    expect(await statusOf({ method: 'GET', url: signed.replace(/signature=./, 'signature=x') })).toBe(403);
    const unknown = signed.replace(/file\/[^/]+/, `file/${UNKNOWN_ID}`);
    expect(await statusOf({ method: 'GET', url: unknown })).toBe(403);
    vi.spyOn(app.store.repos().jobs, 'file').mockReturnValue(undefined);
    expect(await statusOf({ method: 'GET', url: signed })).toBe(404);
    vi.spyOn(app.store.repos().jobs, 'file').mockImplementation(boom);
    expect(await statusOf({ method: 'GET', url: signed })).toBe(500);
    vi.restoreAllMocks();
    stillSeeding();
    expect(await statusOf({ method: 'GET', url: signed })).toBe(503);
  });
});

describe('health and the document', () => {
  it('/health 200 and 503; /openapi.json and /openapi.yaml 200', async () => {
    const { app } = await start();
    expect(await statusOf({ method: 'GET', url: '/health' })).toBe(200);
    vi.spyOn(app.store, 'ready', 'get').mockReturnValue(false);
    expect(await statusOf({ method: 'GET', url: '/health' })).toBe(503);
    expect(await statusOf({ method: 'GET', url: '/openapi.json' })).toBe(200);
    expect(await statusOf({ method: 'GET', url: '/openapi.yaml' })).toBe(200);
  });
});

describe('mock controls', () => {
  const SCENARIOS = '/_mock/scenarios';
  const RESET = '/_mock/reset';
  const CLOCK = '/_mock/clock';
  const REQUESTS = '/_mock/requests';
  const REPORT = (jobId: string) => `/_mock/exports/${jobId}/report`;
  const CONTROLS = [
    ['GET', SCENARIOS],
    ['POST', SCENARIOS],
    ['DELETE', SCENARIOS],
    ['POST', RESET],
    ['POST', CLOCK],
    ['GET', REQUESTS],
    ['DELETE', REQUESTS],
    ['GET', REPORT(UNKNOWN_ID)],
  ] as const;
  const json = { 'content-type': 'application/json' };
  /** What each control answers to a body too large, of a type it does not read, and unreadable. */
  const bodyRefusals = async (method: 'POST' | 'DELETE', url: string) => [
    await statusOf({ method, url, payload: `{"a":"${'x'.repeat(1024 * 1024)}"}`, headers: json }),
    await statusOf({ method, url, payload: '<scenario/>', headers: { 'content-type': 'application/xml' } }),
    await statusOf({ method, url, payload: '{', headers: json }),
  ];

  it(`${SCENARIOS}: GET, POST and DELETE 200; POST and DELETE 400, 413, 415`, async () => {
    await start();
    expect(await statusOf({ method: 'POST', url: SCENARIOS, payload: { scenario: 'slow', count: 2 } })).toBe(200);
    expect(await statusOf({ method: 'POST', url: SCENARIOS, payload: { scenario: 'partial' } })).toBe(200);
    expect(await statusOf({ method: 'GET', url: SCENARIOS })).toBe(200);
    expect(await statusOf({ method: 'POST', url: SCENARIOS, payload: { scenario: 'bananas' } })).toBe(400);
    expect(await statusOf({ method: 'POST', url: SCENARIOS, payload: { scenario: 'slow', count: 1_000_001 } })).toBe(400);
    expect(await bodyRefusals('POST', SCENARIOS)).toEqual([413, 415, 400]);
    expect(await bodyRefusals('DELETE', SCENARIOS)).toEqual([413, 415, 400]);
    expect(await statusOf({ method: 'DELETE', url: SCENARIOS })).toBe(200);
  });

  it(`${RESET} and ${CLOCK}: 200, 400, 413, 415, 500, 503`, async () => {
    const { app } = await start();
    expect(await statusOf({ method: 'POST', url: CLOCK, payload: { advanceDays: 2 } })).toBe(200);
    expect(await statusOf({ method: 'POST', url: CLOCK, payload: { advanceDays: 366 } })).toBe(400);
    expect(await bodyRefusals('POST', CLOCK)).toEqual([413, 415, 400]);
    expect(await statusOf({ method: 'POST', url: RESET })).toBe(200);
    expect(await bodyRefusals('POST', RESET)).toEqual([413, 415, 400]);
    vi.spyOn(app.store.repos().jobs, 'deleteAll').mockImplementation(boom);
    expect(await statusOf({ method: 'POST', url: RESET })).toBe(500);
    vi.spyOn(app.store.repos().db, 'prepare').mockImplementation(boom);
    expect(await statusOf({ method: 'POST', url: CLOCK, payload: { advanceDays: 1 } })).toBe(500);
    vi.restoreAllMocks();
    stillSeeding();
    expect(await statusOf({ method: 'POST', url: RESET })).toBe(503);
    expect(await statusOf({ method: 'POST', url: CLOCK, payload: { advanceDays: 1 } })).toBe(503);
  });

  it(`${REQUESTS}: GET 200, 400; DELETE 200, 400, 413, 415; the export report 200, 404`, async () => {
    const { app, token } = await start();
    const kick = await kickOff(app, token, '?_type=Patient');
    const jobId = new URL(kick.headers['content-location'] as string).searchParams.get('_jobId')!;
    expect(await statusOf({ method: 'GET', url: `${REQUESTS}?jobId=${jobId}&limit=5` })).toBe(200);
    expect(await statusOf({ method: 'GET', url: `${REQUESTS}?limit=0` })).toBe(400);
    expect(await statusOf({ method: 'GET', url: REPORT(jobId) })).toBe(200);
    expect(await statusOf({ method: 'GET', url: REPORT(UNKNOWN_ID) })).toBe(404);
    expect(await bodyRefusals('DELETE', REQUESTS)).toEqual([413, 415, 400]);
    expect(await statusOf({ method: 'DELETE', url: REQUESTS })).toBe(200);
  });

  it('401 without the secret when ADMIN_TOKEN is set, 200 with it; 403 when closed', async () => {
    const secret = 'an-admin-secret-for-the-contract';
    await start({ ADMIN_TOKEN: secret });
    for (const [method, url] of CONTROLS) {
      expect(await statusOf({ method, url }), `${method} ${url}`).toBe(401);
      expect(await statusOf({ method, url, headers: { authorization: 'Bearer another-secret-altogether' } }), `${method} ${url}`).toBe(401);
    }
    expect(await statusOf({ method: 'GET', url: SCENARIOS, headers: bearer(secret) })).toBe(200);
    await t!.app.close();
    await start({ HOST: '0.0.0.0' });
    for (const [method, url] of CONTROLS) expect(await statusOf({ method, url }), `${method} ${url}`).toBe(403);
  });
});

describe('refusals before an operation runs, declared by every operation', () => {
  it('400 for an HTTP/1.1 request without Host', async () => {
    await start();
    for (const [method, url] of everyOperation()) expect(await statusWithoutHost(method, url), `${method} ${url}`).toBe(400);
  });

  it('400 for an id over 200 characters or with a malformed percent-encoding, refused by the router', async () => {
    const { app, token } = await start();
    for (const [method, path] of [
      ['GET', `${BASE}/fhir/Group/{}`],
      ['GET', `${BASE}/fhir/Group/{}/$export`],
      ['POST', `${BASE}/fhir/Group/{}/$export`],
      ['GET', `${BASE}/file/{}/download`],
    ] as const) {
      for (const id of ['a'.repeat(201), '%E0%A4%A']) {
        const url = path.replace('{}', id);
        const res = await app.inject({ method, url, headers: bearer(token) });
        expect(res.statusCode, `${method} ${url}`).toBe(400);
        // The router answers these before any hook runs, so the recorder never sees them.
        recordUnhooked(app, method, url, res);
      }
    }
  });

  it('503 with Retry-After while the server shuts down', async () => {
    const { app } = await start();
    await app.close();
    t = undefined;
    // inject refuses a closed app; its router still answers, as it does a request on a
    // connection that was open when the close began.
    const router = supertest(app.routing.bind(app));
    for (const [method, url] of [...everyOperation(), ['GET', '/nope'] as const]) {
      const res = await router[method.toLowerCase() as 'get' | 'post' | 'delete'](url);
      expect(res.status, `${method} ${url}`).toBe(503);
      expect(res.headers['retry-after'], `${method} ${url}`).toBe('5');
    }
  });
});

describe('requests no operation describes', () => {
  it('an unknown path → 404 (400 without Host); an unsupported method on each path → 405; HEAD on a kick-off → 405', async () => {
    await start();
    expect(await statusOf({ method: 'GET', url: '/nope' })).toBe(404);
    expect(await statusOf({ method: 'HEAD', url: EXPORT })).toBe(405);
    // Refused before routing decides, where no operation is: no Host → 400.
    expect(await statusWithoutHost('GET', '/nope')).toBe(400);
    for (const url of [
      TOKEN,
      EXPORT,
      POLL,
      `${BASE}/file/${UNKNOWN_ID}/download`,
      `${BASE}/file/${UNKNOWN_ID}/signed`,
      `${BASE}/fhir/Patient/$export`,
      `${BASE}/fhir/Group/${UNKNOWN_ID}/$export`,
      `${BASE}/fhir/Group/${UNKNOWN_ID}`,
      `${BASE}/fhir/Group`,
      `${BASE}/fhir/metadata`,
      `${BASE}/fhir/.well-known/smart-configuration`,
      '/openapi.json',
      '/openapi.yaml',
      '/_mock/scenarios',
      '/_mock/reset',
      '/_mock/clock',
      '/_mock/requests',
      `/_mock/exports/${UNKNOWN_ID}/report`,
      '/health',
    ]) {
      expect(await statusOf({ method: 'PUT', url }), url).toBe(405);
    }
  });
});
