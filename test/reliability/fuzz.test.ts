// Bad input, everywhere: over a thousand malformed requests, generated from a fixed seed,
// against every route on a real socket (so the HTTP parser and its header limit take part).
// Whatever arrives, the server answers below 500, every error is an OperationOutcome (or an
// RFC 6749 error object at the token endpoint), no rejected request leaves a job behind, a
// 200 never shows data other than what was asked for, and a correct export works afterwards.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/app.js';
import {
  BASE,
  bearer,
  buildTestApp,
  download,
  getToken,
  kickOff,
  pathOf,
  pollUntilDone,
  runExport,
  type Manifest,
  type TestApp,
} from '../helper.js';
import { listen, send, type HttpRequest, type HttpResponse } from './support/http-client.js';

const ISSUE_TYPES = new Set([
  'invalid', 'structure', 'required', 'value', 'invariant', 'security', 'login', 'unknown', 'expired', 'forbidden',
  'suppressed', 'processing', 'not-supported', 'duplicate', 'multiple-matches', 'not-found', 'deleted', 'too-long',
  'code-invalid', 'extension', 'too-costly', 'business-rule', 'conflict', 'transient', 'lock-error', 'no-store',
  'exception', 'timeout', 'incomplete', 'throttled', 'informational',
]);
const OAUTH_ERRORS = new Set([
  'invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope',
]);
const STACK_TRACE = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+/;

let t: TestApp;
let port: number;
let token: string;
let otherUserToken: string;
const expiredToken = 'expired-token-0123456789abcdefghijklmnopqrstuv';
let baseline: Manifest;
let jobId: string;
/** Every file the fuzz may legitimately reach: its body and whose token may read it. */
const files = new Map<string, { body: string; owner: 'valid' | 'other-user' }>();
let cancelledJobId: string;
let otherUsersFileId: string;

const countJobs = () => t.app.store.repos().db.prepare('SELECT COUNT(*) FROM job').pluck().get() as number;
const fileIdOf = (url: string) => url.split('/')[2]!;

beforeAll(async () => {
  t = await buildTestApp();
  port = await listen(t.app);
  token = await getToken(t.app);
  otherUserToken = t.app.tokenService.issue('someone-else@example.com').access_token;
  const hash = createHash('sha256').update(expiredToken).digest('hex');
  t.app.store.repos().tokens.save(hash, t.config.auth.username, t.clock.now() - 1);

  const kick = await kickOff(t.app, token);
  jobId = new URL(kick.headers['content-location'] as string).searchParams.get('_jobId')!;
  const { final } = await pollUntilDone(t, kick.headers['content-location'] as string, token);
  baseline = final.json() as Manifest;
  for (const entry of baseline.output) {
    files.set(fileIdOf(entry.url), { body: (await download(t.app, entry.url, token)).body, owner: 'valid' });
  }

  const other = await runExport(t, '?_type=Patient', otherUserToken);
  otherUsersFileId = fileIdOf(other.output[0]!.url);
  files.set(otherUsersFileId, { body: (await download(t.app, other.output[0]!.url, otherUserToken)).body, owner: 'other-user' });

  const toCancel = await kickOff(t.app, token, '?_type=Condition');
  cancelledJobId = new URL(toCancel.headers['content-location'] as string).searchParams.get('_jobId')!;
  await t.app.inject({ method: 'DELETE', url: pathOf(toCancel.headers['content-location'] as string), headers: bearer(token) });
});

afterAll(async () => {
  await t?.app.close();
});

// ---- what a confused or hostile client sends -------------------------------------------------

const realFileId = () => fc.constantFrom(...[...files.keys()].filter((id) => id !== otherUsersFileId));
const unknownUuid = fc.uuid({ version: 4 });
const junk = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => encodeURIComponent(s));
/**
 * Large values travel through the generator as names and are expanded only when sent, so a
 * failure report stays readable.
 */
const LARGE: Record<string, string> = {
  '<4 KB of x>': 'x'.repeat(4000),
  '<Patient, x1500>': 'Patient,'.repeat(1500),
  '<query over the header limit>': 'Patient,'.repeat(Math.ceil(LIMITS.headerBytes / 8)),
  '<header over the limit>': 'x'.repeat(LIMITS.headerBytes + 1000),
  '<8 KB bearer token>': `Bearer ${'a'.repeat(8000)}`,
  '<request id of 300 chars>': 'a'.repeat(300),
  '<body over the limit>': `{"a":"${'x'.repeat(LIMITS.bodyBytes)}"}`,
  '<5000-deep JSON>': `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
  '<array of 100k numbers>': `[${'1,'.repeat(100_000)}1]`,
};
const large = (...names: (keyof typeof LARGE)[]) => fc.constantFrom(...names);
const expand = (v: string): string => v.replace(/<[^<>]+>/g, (name) => LARGE[name] ?? name);

const idLike = () =>
  fc.oneof(
    realFileId(),
    realFileId().map((id) => id.toUpperCase()),
    fc.constant(otherUsersFileId),
    unknownUuid,
    fc.constantFrom(jobId, cancelledJobId),
    fc.constantFrom('..', '../..', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f', '....//', '%00', '%', '%ZZ', '%E0%A4%A', '', ' ', '%20'),
    fc.constantFrom("1' OR '1'='1", '1;DROP TABLE job', '*', '00000000-0000-0000-0000-000000000000'),
    junk,
    fc.string({ minLength: 190, maxLength: 260, unit: 'grapheme-ascii' }).map(encodeURIComponent),
  );

const pathArb = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(`${BASE}/fhir/$export`, `${BASE}/fhir/%24export`, `${BASE}/fhir/%24EXPORT`) },
    { weight: 4, arbitrary: fc.constant(`${BASE}/fhir/$export-poll-status`) },
    { weight: 4, arbitrary: idLike().map((id) => `${BASE}/file/${id}/download`) },
    { weight: 3, arbitrary: fc.constant('/oauth/token') },
    { weight: 1, arbitrary: fc.constant('/health') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        `${BASE}/fhir/$export/`,
        `${BASE}//fhir/$export`,
        `${BASE}/fhir/../fhir/$export`,
        `${BASE}/file/../../oauth/token`,
        `${BASE}/file//download`,
        `${BASE}/fhir/metadata`,
        `${BASE}/fhir/Patient`,
        '/',
        '/oauth/token/',
        '/oauth//token',
        '/api/v1/connect',
        '/_mock/../oauth/token',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/%',
        '*',
      ),
    },
    { weight: 2, arbitrary: fc.webPath() },
    { weight: 1, arbitrary: junk.map((s) => `${BASE}/fhir/${s}`) },
  );

const paramName = fc.oneof(
  fc.constantFrom('_type', '_type', '_jobId', '_jobId', '_since', '_outputFormat', 'patient', '_typeFilter', '_elements'),
  fc.constantFrom('', '_TYPE', '_type[]', '__proto__', 'constructor', 'password', 'access_token'),
  junk,
);
const paramValue = () =>
  fc.oneof(
  fc.constantFrom('Patient', 'Patient,Condition', 'Observation,,Patient', 'patient', 'Binary', 'Patient ,Condition', ','),
  fc.constantFrom('', '%', '%ZZ', '%E0%A4%A', '%00', '..%2F..%2F', '2026-01-01', 'ndjson', 'application/fhir+ndjson'),
  unknownUuid,
  fc.constantFrom(jobId, jobId.toUpperCase(), cancelledJobId),
  large('<4 KB of x>', '<Patient, x1500>'),
  junk,
);
const paramsArb = () =>
  fc
    .array(fc.tuple(paramName, paramValue(), fc.constantFrom('=', '=', '=', '', '==')), { maxLength: 5 })
    .map((ps) => ps.map(([n, v, eq]) => `${n}${eq}${v}`));
const queryArb = () =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant('') },
    { weight: 10, arbitrary: paramsArb().map((ps) => `?${ps.join('&')}`) },
    { weight: 2, arbitrary: fc.constantFrom('?', '?&&&', '?=', '?&=&', '?_jobId', '?_jobId=&_jobId=', '?_type&_type=') },
    { weight: 2, arbitrary: fc.webQueryParameters().map((q) => `?${q}`) },
    // Longer than the header limit: the parser refuses it before any route runs.
    { weight: 1, arbitrary: fc.constant('?_type=<query over the header limit>') },
  );

const printable = fc.string({ unit: 'grapheme-ascii', maxLength: 60 });
const authorization = fc.oneof(
  { weight: 4, arbitrary: fc.constant('valid') },
  {
    weight: 4,
    arbitrary: fc.oneof(
      fc.constant('none'),
      fc.constant('other-user'),
      fc.constant(`Bearer ${expiredToken}`),
      fc.constantFrom('Bearer', 'Bearer ', 'bearer', 'Basic ZGVtb0BleGFtcGxlLmNvbTpkZW1v', 'Token abc', 'Bearer a b', 'Bearer ==='),
      printable.map((s) => `Bearer ${s}`),
      printable,
      large('<8 KB bearer token>'),
    ),
  },
);
const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/fhir+json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'application/xml',
    'multipart/form-data; boundary=xyz',
    'application/json; charset=utf-16',
    'application/json; charset=',
    'application/fhir+json;;;',
    'application/',
    '*/*',
    ';',
    '',
  ),
  { nil: undefined },
);
/** A header that is absent `absent` times in `absent + 1`, else one of `values`. */
const sometimes = <T>(absent: number, values: fc.Arbitrary<T>) =>
  fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: values });
const headerArb = fc.record({
  contentType,
  accept: sometimes(2, fc.constantFrom('application/fhir+json', 'application/json', '*/*', 'text/html', '', 'application/fhir+ndjson;q=x')),
  acceptEncoding: sometimes(2, fc.constantFrom('gzip', 'deflate', 'br', 'gzip;q=0, identity;q=0', '*;q=0', 'identity', 'x-unknown', '')),
  contentEncoding: sometimes(8, fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'identity', 'x')),
  prefer: sometimes(3, fc.constantFrom('respond-async', 'handling=lenient', 'handling=strict, respond-async', 'handling=', ';;;=;')),
  requestId: sometimes(3, fc.oneof(printable, large('<request id of 300 chars>'), fc.uuid())),
  host: sometimes(8, fc.constantFrom('evil.example:99999', '[::1', 'a b', '', 'localhost:1/x')),
  origin: sometimes(5, fc.constantFrom('https://app.example', 'null', 'file://', '')),
  repeated: sometimes(10, fc.constant(['a', 'b'] as string[])),
  huge: sometimes(30, large('<header over the limit>')),
});

const tokenBody = (u: string, p: string) => ({ grant_type: 'password', username: u, password: p });
const bodyArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      JSON.stringify(tokenBody('demo@example.com', 'demo')),
      JSON.stringify(tokenBody('demo@example.com', 'wrong')),
      JSON.stringify({ grant_type: 'client_credentials' }),
      JSON.stringify({ grant_type: ['password', 'password'], username: 1, password: null }),
      'grant_type=password&username=demo%40example.com&password=demo',
      'grant_type=password&grant_type=password&username=&password=',
      'grant_type=refresh_token&refresh_token=x',
      JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Patient' }] }),
      JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Nope' }] }),
      JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_since', valueInstant: '2026-01-01T00:00:00Z' }] }),
      JSON.stringify({ resourceType: 'Parameters', parameter: 'x' }),
      JSON.stringify({ resourceType: 'Parameters', parameter: [null, 1, { name: '' }, { name: '_type' }] }),
      JSON.stringify({ resourceType: 'Patient' }),
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      '[]',
      'null',
      '"string"',
      '{',
      '{"a":1}{"b":2}',
      '\u0000\u0001\u0002',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)) },
  // Bigger than the body limit, and shapes that stress a parser: deep nesting, huge strings.
  { weight: 1, arbitrary: large('<body over the limit>', '<5000-deep JSON>', '<array of 100k numbers>') },
);

const methodArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'DELETE') },
  { weight: 2, arbitrary: fc.constantFrom('PUT', 'PATCH', 'HEAD', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('PROPFIND', 'TRACE', 'SEARCH', 'COPY', 'LOCK', 'MKCOL', 'PURGE', 'FOO', 'get') },
);

interface Case {
  method: string;
  path: string;
  query: string;
  auth: string;
  headers: { [K in keyof typeof headerKeys]?: string | string[] | undefined };
  body: string | Buffer | undefined;
}
const headerKeys = {
  contentType: 'content-type',
  accept: 'accept',
  acceptEncoding: 'accept-encoding',
  contentEncoding: 'content-encoding',
  prefer: 'prefer',
  requestId: 'x-request-id',
  host: 'host',
  origin: 'origin',
  repeated: 'x-repeated',
  huge: 'x-huge',
} as const;

/** Anything at all: any method on any path with any query, headers and body. */
const freeCase = (): fc.Arbitrary<Case> =>
  fc.record({ method: methodArb, path: pathArb(), query: queryArb(), auth: authorization, headers: headerArb, body: bodyArb });

/** Close to a real client's request on one route, with one or more things wrong, so the handlers themselves are reached. */
const targetedCase = (): fc.Arbitrary<Case> => {
  const kickoffGet = fc.record({
    method: fc.constant('GET'),
    path: fc.constantFrom(`${BASE}/fhir/$export`, `${BASE}/fhir/%24export`),
    query: queryArb(),
  });
  const kickoffPost = fc.record({
    method: fc.constant('POST'),
    path: fc.constant(`${BASE}/fhir/$export`),
    query: fc.oneof({ weight: 5, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryArb() }),
  });
  const jobIdQuery = fc
    .tuple(fc.oneof(idLike(), fc.constantFrom(jobId, jobId.toUpperCase())), paramsArb(), fc.boolean())
    .map(([id, extra, first]) => `?${(first ? [`_jobId=${id}`, ...extra] : [...extra, `_jobId=${id}`]).join('&')}`);
  const poll = fc.record({
    method: fc.constantFrom('GET', 'GET', 'DELETE', 'HEAD'),
    path: fc.constant(`${BASE}/fhir/$export-poll-status`),
    query: fc.oneof({ weight: 4, arbitrary: jobIdQuery }, { weight: 1, arbitrary: queryArb() }),
  });
  const fileDownload = fc.record({
    method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD'),
    path: idLike().map((id) => `${BASE}/file/${id}/download`),
    query: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryArb() }),
  });
  const tokenRequest = fc.record({
    method: fc.constant('POST'),
    path: fc.constant('/oauth/token'),
    query: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryArb() }),
  });
  const usualType = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/fhir+json', 'application/x-www-form-urlencoded') },
    { weight: 1, arbitrary: contentType },
  );
  return fc
    .tuple(
      fc.oneof(kickoffGet, kickoffPost, poll, fileDownload, tokenRequest),
      fc.oneof({ weight: 3, arbitrary: fc.constant('valid') }, { weight: 1, arbitrary: authorization }),
      headerArb,
      usualType,
      bodyArb,
    )
    .map(([route, auth, headers, type, body]) => ({
      ...route,
      auth,
      headers: { ...headers, contentType: body === undefined ? headers.contentType : type },
      body: route.method === 'GET' || route.method === 'HEAD' ? undefined : body,
    }));
};

const caseArb = (): fc.Arbitrary<Case> =>
  fc.oneof({ weight: 3, arbitrary: targetedCase() }, { weight: 2, arbitrary: freeCase() });

function toRequest(c: Case): HttpRequest {
  // The baseline job must outlive the run so later cases can still reach its files: a DELETE
  // aimed at it is turned onto the already cancelled job (same route, same checks).
  if (c.method === 'DELETE') c = { ...c, query: c.query.replaceAll(jobId, cancelledJobId).replaceAll(jobId.toUpperCase(), cancelledJobId) };
  const headers: Record<string, string | string[]> = {};
  for (const [key, name] of Object.entries(headerKeys)) {
    const v = c.headers[key as keyof typeof headerKeys];
    if (v !== undefined) headers[name] = Array.isArray(v) ? v : expand(v);
  }
  if (c.auth === 'valid') headers.authorization = `Bearer ${token}`;
  else if (c.auth === 'other-user') headers.authorization = `Bearer ${otherUserToken}`;
  else if (c.auth !== 'none') headers.authorization = expand(c.auth);
  // The client refuses to put spaces, controls or non-Latin-1 in a request line; send them
  // percent-encoded (the raw-socket test sends the unencodable ones).
  const path = expand(c.path + c.query).replace(/[^\u0021-\u00ff]/gu, (ch) => encodeURIComponent(ch));
  const body = typeof c.body === 'string' ? expand(c.body) : c.body;
  return { method: c.method, path, headers, body };
}

// ---- what must hold whatever was sent ---------------------------------------------------------

function assertAnswer(c: Case, res: HttpResponse): void {
  expect(res.status, 'no 5xx').toBeLessThan(500);
  if (res.status < 400) {
    assertSuccess(c, res);
    return;
  }
  if (c.method === 'HEAD') return; // no body to inspect
  expect(res.text).not.toMatch(STACK_TRACE);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  const tokenEndpoint = c.method === 'POST' && (c.path === '/oauth/token') && res.headers['content-type']?.startsWith('application/json');
  if (tokenEndpoint) {
    expect(OAUTH_ERRORS.has(body.error as string), `RFC 6749 error code, got ${String(body.error)}`).toBe(true);
    expect(typeof body.error_description).toBe('string');
    return;
  }
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  expect(body.resourceType).toBe('OperationOutcome');
  const issues = body.issue as { severity: string; code: string; diagnostics: string }[];
  expect(issues.length).toBeGreaterThan(0);
  for (const issue of issues) {
    expect(ISSUE_TYPES.has(issue.code), `IssueType code, got ${issue.code}`).toBe(true);
    expect(['fatal', 'error', 'warning']).toContain(issue.severity);
    expect(issue.diagnostics.length).toBeGreaterThan(0);
  }
}

/** A success may only ever show what its request was entitled to. */
function assertSuccess(c: Case, res: HttpResponse): void {
  const download = /^\/api\/v1\/connect\/file\/([^/]+)\/download$/.exec(c.path);
  if (download && res.status === 200 && c.method === 'GET') {
    const file = files.get(decodeURIComponent(download[1]!).toLowerCase());
    expect(file, 'only files of finished jobs are served').toBeDefined();
    expect(c.auth, "only to the owner's tokens").toBe(file!.owner);
    expect(res.text).toBe(file!.body);
  }
  if (c.path.endsWith('/$export-poll-status') && res.status === 200 && c.method === 'GET') {
    expect(JSON.parse(res.text)).toEqual(baseline);
  }
}

function routeOf(path: string): string {
  if (/\/fhir\/(\$|%24)export$/i.test(path)) return 'kick-off';
  if (path.endsWith('/fhir/$export-poll-status')) return 'poll';
  if (/\/file\/[^/]*\/download$/.test(path)) return 'download';
  if (path === '/oauth/token') return 'token';
  if (path === '/health') return 'health';
  return 'other';
}
const seen = new Set<string>();

describe('malformed requests on every route', () => {
  it('are all answered below 500 with a well-formed error, and leave no stray job behind', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(caseArb(), async (c) => {
        runs++;
        const before = countJobs();
        const res = await send({ port }, toRequest(c));
        seen.add(`${res.status} ${routeOf(c.path)}`);
        assertAnswer(c, res);
        if (res.status >= 400) expect(countJobs(), 'a rejected request creates no job').toBe(before);
      }),
      { numRuns: 1100, seed: 20260301, endOnFailure: true },
    );
    expect(runs).toBe(1100);
    // The run must have reached every handler and every limit, not only the router's 404.
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        '200 download', '200 health', '200 poll', '200 token', '202 kick-off', '204 token',
        '400 download', '400 kick-off', '400 poll', '400 token', '401 download', '401 kick-off', '401 poll',
        '404 download', '404 other', '404 poll', '405 download', '405 kick-off', '405 token',
        '413 kick-off', '415 kick-off', '431 kick-off',
      ]),
    );
  });

  it('still serves a correct export afterwards', async () => {
    const health = await send({ port }, { path: '/health' });
    expect(health.status).toBe(200);
    const fresh = await runExport(t);
    expect(fresh.output.map((o) => [o.type, o.count])).toEqual(baseline.output.map((o) => [o.type, o.count]));
    for (const [i, entry] of fresh.output.entries()) {
      const res = await send({ port }, { path: `${BASE}${entry.url}`, headers: bearer(token) });
      expect(res.status).toBe(200);
      expect(res.text).toBe(files.get(fileIdOf(baseline.output[i]!.url))!.body);
    }
  });
});
