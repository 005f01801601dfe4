// Bad input, everywhere: well over a thousand malformed requests, generated from fixed seeds,
// against every route of both profiles, on a real socket (so the HTTP parser and its header
// limit take part). Whatever arrives, the server answers below 500, every error is an
// OperationOutcome (or an RFC 6749 error object at the token endpoint), no rejected request
// leaves a job behind, a success never shows data its caller may not see, and a correct
// export still works afterwards.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/http/limits.js';
import { BASE, bearer, buildTestApp, getToken, pathOf, pollUntilDone, type Manifest, type TestApp } from '../helper.js';
import { listen, send, type HttpRequest, type HttpResponse } from './support/http-client.js';
import { until } from './support/until.js';

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
const ADMIN_TOKEN = 'fuzz-admin-secret-0123456789';
const EXPIRED_TOKEN = 'expired-token-0123456789abcdefghijklmnopqrstuv';
/** The Bulk Data IG's kick-off headers, which the standard profile requires. */
const ASYNC = { accept: 'application/fhir+json', prefer: 'respond-async' };

/**
 * Large values travel through the generators as names and are expanded only when sent, so a
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

const fileIdOf = (url: string) => /\/file\/([^/]+)\/download$/.exec(url)![1]!;
/** A manifest with its file URLs reduced to file ids: absolute URLs follow the Host header. */
const normalized = (m: Manifest) => ({
  ...m,
  output: m.output.map((o) => ({ ...o, url: fileIdOf(o.url) })),
  error: m.error.map((o) => ({ ...o, url: fileIdOf(o.url) })),
});

function routeOf(path: string): string {
  if (/\/fhir\/(Patient\/|Group\/[^/]*\/)?(\$|%24)export$/i.test(path)) return 'kick-off';
  if (path.endsWith('/fhir/$export-poll-status')) return 'poll';
  if (/\/file\/[^/]*\/download$/.test(path)) return 'download';
  if (/\/fhir\/Group(\/[^/]*)?$/.test(path)) return 'group';
  if (path.endsWith('/fhir/metadata')) return 'metadata';
  if (path.startsWith('/_mock/')) return 'admin';
  if (path === '/oauth/token') return 'token';
  if (path === '/health') return 'health';
  return 'other';
}

function fuzzSuite(profile: 'verto' | 'standard', numRuns: number, seed: number, mustSee: string[]) {
  let t: TestApp;
  let port: number;
  let token: string;
  let otherUserToken: string;
  let baseline: Manifest;
  let jobId: string;
  let cancelledJobId: string;
  let otherUsersFileId: string;
  let groupIds: string[];
  /** Every file the fuzz may legitimately reach: its body and whose token may read it. */
  const files = new Map<string, { body: string; owner: 'valid' | 'other-user' }>();
  const seen = new Set<string>();
  /** Jobs the fuzz's own kick-offs started: each must end completed, never failed. */
  const accepted: string[] = [];
  const countJobs = () => t.app.store.repos().db.prepare('SELECT COUNT(*) FROM job').pluck().get() as number;

  const startExport = async (tok: string, query: string) => {
    const res = await t.app.inject({ method: 'GET', url: `${BASE}/fhir/$export${query}`, headers: { ...bearer(tok), ...ASYNC } });
    expect(res.statusCode).toBe(202);
    return res.headers['content-location'] as string;
  };
  const finish = async (pollUrl: string, tok: string) => (await pollUntilDone(t, pollUrl, tok)).final.json() as Manifest;
  const fetchFile = async (url: string, tok: string) =>
    (await t.app.inject({ method: 'GET', url: `${BASE}/file/${fileIdOf(url)}/download`, headers: bearer(tok) })).body;

  beforeAll(async () => {
    t = await buildTestApp({ PROFILE: profile, ADMIN_TOKEN });
    port = await listen(t.app);
    token = await getToken(t.app);
    otherUserToken = t.app.tokenService.issue('someone-else@example.com').access_token;
    t.app.store.repos().tokens.save(createHash('sha256').update(EXPIRED_TOKEN).digest('hex'), t.config.auth.username, t.clock.now() - 1);
    groupIds = t.app.store.repos().groups.all().map((json) => (JSON.parse(json) as { id: string }).id);

    const pollUrl = await startExport(token, '');
    jobId = new URL(pollUrl).searchParams.get('_jobId')!;
    baseline = await finish(pollUrl, token);
    for (const entry of baseline.output) files.set(fileIdOf(entry.url), { body: await fetchFile(entry.url, token), owner: 'valid' });

    const other = await finish(await startExport(otherUserToken, '?_type=Patient'), otherUserToken);
    otherUsersFileId = fileIdOf(other.output[0]!.url);
    files.set(otherUsersFileId, { body: await fetchFile(other.output[0]!.url, otherUserToken), owner: 'other-user' });

    const toCancel = await startExport(token, '?_type=Condition');
    cancelledJobId = new URL(toCancel).searchParams.get('_jobId')!;
    await t.app.inject({ method: 'DELETE', url: pathOf(toCancel), headers: bearer(token) });
  });

  afterAll(async () => {
    await t?.app.close();
  });

  // ---- what a confused or hostile client sends -----------------------------------------------

  const unknownUuid = fc.uuid({ version: 4 });
  const junk = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => encodeURIComponent(s));
  const printable = fc.string({ unit: 'grapheme-ascii', maxLength: 60 });
  const realFileId = () => fc.constantFrom(...[...files.keys()].filter((id) => id !== otherUsersFileId));

  const idLike = () =>
    fc.oneof(
      realFileId(),
      realFileId().map((id) => id.toUpperCase()),
      fc.constant(otherUsersFileId),
      unknownUuid,
      fc.constantFrom(jobId, cancelledJobId, ...groupIds),
      fc.constantFrom('..', '../..', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f', '....//', '%00', '%', '%ZZ', '%E0%A4%A', '', ' ', '%20'),
      fc.constantFrom("1' OR '1'='1", '1;DROP TABLE job', '*', '00000000-0000-0000-0000-000000000000'),
      junk,
      fc.string({ minLength: 190, maxLength: 260, unit: 'grapheme-ascii' }).map(encodeURIComponent),
    );

  const kickoffPath = () =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(`${BASE}/fhir/$export`, `${BASE}/fhir/%24export`) },
      { weight: 1, arbitrary: fc.constantFrom(`${BASE}/fhir/Patient/$export`, `${BASE}/fhir/Patient/%24export`, `${BASE}/fhir/%24EXPORT`) },
      { weight: 1, arbitrary: idLike().map((id) => `${BASE}/fhir/Group/${id}/$export`) },
    );

  const pathArb = () =>
    fc.oneof(
      { weight: 4, arbitrary: kickoffPath() },
      { weight: 4, arbitrary: fc.constant(`${BASE}/fhir/$export-poll-status`) },
      { weight: 4, arbitrary: idLike().map((id) => `${BASE}/file/${id}/download`) },
      { weight: 3, arbitrary: fc.constant('/oauth/token') },
      { weight: 1, arbitrary: fc.constant('/health') },
      { weight: 1, arbitrary: fc.constantFrom(`${BASE}/fhir/metadata`, `${BASE}/fhir/Group`) },
      { weight: 1, arbitrary: idLike().map((id) => `${BASE}/fhir/Group/${id}`) },
      { weight: 1, arbitrary: fc.constantFrom('/_mock/scenarios', '/_mock/reset', '/_mock/clock', '/_mock/', '/_mock/nothing') },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          `${BASE}/fhir/$export/`,
          `${BASE}//fhir/$export`,
          `${BASE}/fhir/../fhir/$export`,
          `${BASE}/file/../../oauth/token`,
          `${BASE}/file//download`,
          `${BASE}/fhir/Patient`,
          `${BASE}/fhir/.well-known/smart-configuration`,
          '/',
          '/oauth/token/',
          '/oauth//token',
          '/api/v1/connect',
          '/_mock/../oauth/token',
          '/%2e%2e/%2e%2e/etc/passwd',
          '/demo/assets/',
          '/demo/assets/../../package.json',
          '/demo/assets/..%2f..%2f..%2fpackage.json',
          '/demo/assets/%2e%2e/%2e%2e/src/config.ts',
          '/demo/assets/index-00000000.js',
          '/%',
          '*',
        ),
      },
      { weight: 2, arbitrary: fc.webPath() },
      { weight: 1, arbitrary: junk.map((s) => `${BASE}/fhir/${s}`) },
    );

  const paramName = fc.oneof(
    fc.constantFrom('_type', '_type', '_jobId', '_jobId', '_since', '_until', '_outputFormat', 'patient', '_typeFilter', '_elements'),
    fc.constantFrom('name', 'identifier', '_summary', '', '_TYPE', '_type[]', '__proto__', 'constructor', 'password', 'access_token'),
    junk,
  );
  const paramValue = () =>
    fc.oneof(
      fc.constantFrom('Patient', 'Patient,Condition', 'Observation,,Patient', 'patient', 'Binary', 'Patient ,Condition', ','),
      fc.constantFrom('', '%', '%ZZ', '%E0%A4%A', '%00', '..%2F..%2F', '2026-01-01', '2026-13-45T99:99', 'ndjson', 'application/fhir+ndjson'),
      fc.constantFrom('Patient?gender=female', 'Observation?code=%7C', 'Condition?', '?', 'Patient.name', 'id,meta', 'Patient/x', 'true'),
      fc.constantFrom('Patient%3Fconstructor%3Dx', 'Observation%3F__proto__%3D1', 'Patient%3FtoString%3D', 'constructor', 'hasOwnProperty'),
      unknownUuid,
      fc.constantFrom(jobId, jobId.toUpperCase(), cancelledJobId, ...groupIds),
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

  const authorization = fc.oneof(
    { weight: 4, arbitrary: fc.constant('valid') },
    {
      weight: 4,
      arbitrary: fc.oneof(
        fc.constant('none'),
        fc.constant('other-user'),
        fc.constant(`Bearer ${EXPIRED_TOKEN}`),
        fc.constant('Bearer fuzz-admin-secret-012345678'),
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
    prefer: sometimes(3, fc.constantFrom('respond-async', 'handling=lenient', 'handling=strict, respond-async', 'respond-async, handling=lenient', 'handling=', ';;;=;')),
    // Faults a client may ask for that keep the answers below 500, and names that do not exist.
    scenario: sometimes(6, fc.constantFrom('nope', 'SLOW', 'slow,nope', ',', '', ' , ', 'slow', 'partial', 'files-expired', 'poll-too-fast', 'kickoff-throttled', 'slow, partial')),
    requestId: sometimes(3, fc.oneof(printable, large('<request id of 300 chars>'), fc.uuid())),
    host: sometimes(8, fc.constantFrom('evil.example:99999', '[::1', 'a b', '', 'localhost:1/x')),
    origin: sometimes(5, fc.constantFrom('https://app.example', 'null', 'file://', '')),
    repeated: sometimes(10, fc.constant(['a', 'b'] as string[])),
    huge: sometimes(30, large('<header over the limit>')),
  });
  const headerKeys = {
    contentType: 'content-type',
    accept: 'accept',
    acceptEncoding: 'accept-encoding',
    contentEncoding: 'content-encoding',
    prefer: 'prefer',
    scenario: 'x-mock-scenario',
    requestId: 'x-request-id',
    host: 'host',
    origin: 'origin',
    repeated: 'x-repeated',
    huge: 'x-huge',
  } as const;

  const bodyArb = fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        JSON.stringify({ grant_type: 'password', username: 'demo@example.com', password: 'demo' }),
        JSON.stringify({ grant_type: 'password', username: 'demo@example.com', password: 'wrong' }),
        JSON.stringify({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: 'a.b.c' }),
        JSON.stringify({ grant_type: ['password', 'password'], username: 1, password: null }),
        'grant_type=password&username=demo%40example.com&password=demo',
        'grant_type=password&grant_type=password&username=&password=',
        'grant_type=refresh_token&refresh_token=x',
        JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Patient' }] }),
        JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Nope' }] }),
        JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_since', valueInstant: '2026-01-01T00:00:00Z' }] }),
        JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_since', valueInstant: 'yesterday' }, { name: 'patient', valueReference: { reference: 'Patient/x' } }] }),
        JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: '_typeFilter', valueString: 'Patient?gender=%' }] }),
        JSON.stringify({ resourceType: 'Parameters', parameter: 'x' }),
        JSON.stringify({ resourceType: 'Parameters', parameter: [null, 1, { name: '' }, { name: '_type' }] }),
        JSON.stringify({ resourceType: 'Patient' }),
        JSON.stringify({ scenario: 'nope', count: 1 }),
        JSON.stringify({ scenario: 'slow', count: 0 }),
        JSON.stringify({ scenario: 'slow', extra: true }),
        JSON.stringify({ advanceDays: 0 }),
        JSON.stringify({ advanceDays: '3' }),
        JSON.stringify({ advanceDays: 1.5 }),
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
    // Bigger than the body limit, and shapes that stress a parser: deep nesting, long arrays.
    { weight: 2, arbitrary: large('<body over the limit>', '<5000-deep JSON>', '<array of 100k numbers>') },
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

  /** Anything at all: any method on any path with any query, headers and body. */
  const freeCase = (): fc.Arbitrary<Case> =>
    fc.record({ method: methodArb, path: pathArb(), query: queryArb(), auth: authorization, headers: headerArb, body: bodyArb });

  /** Close to a real client's request on one route, with one or more things wrong, so the handlers themselves are reached. */
  const targetedCase = (): fc.Arbitrary<Case> => {
    const fineQuery = fc.constantFrom(
      '',
      '?_type=Patient',
      '?_type=Observation,Condition',
      '?_type=Patient&_type=Encounter',
      ...(profile === 'standard' ? ['?_since=2025-06-01T00:00:00Z', '?_outputFormat=ndjson', '?_elements=id', '?_type=Patient&_elements=gender'] : []),
    );
    const kickoffGet = fc.record({
      method: fc.constant('GET'),
      path: kickoffPath(),
      query: fc.oneof({ weight: 1, arbitrary: fineQuery }, { weight: 2, arbitrary: queryArb() }),
    });
    const kickoffPost = fc.record({
      method: fc.constant('POST'),
      path: kickoffPath(),
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
    const groups = fc.record({
      method: fc.constantFrom('GET', 'GET', 'HEAD'),
      path: fc.oneof(fc.constant(`${BASE}/fhir/Group`), idLike().map((id) => `${BASE}/fhir/Group/${id}`), fc.constant(`${BASE}/fhir/metadata`)),
      query: queryArb(),
    });
    const tokenRequest = fc.record({
      method: fc.constant('POST'),
      path: fc.constant('/oauth/token'),
      query: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryArb() }),
    });
    // A well-formed token request now and then, so the success path is exercised too.
    const tokenFine = fc.record({
      method: fc.constant('POST'),
      path: fc.constant('/oauth/token'),
      query: fc.constant(''),
      fixed: fc.constantFrom(
        { type: 'application/json', body: JSON.stringify({ grant_type: 'password', username: 'demo@example.com', password: 'demo' }) },
        { type: 'application/x-www-form-urlencoded', body: 'grant_type=password&username=demo%40example.com&password=demo' },
      ),
    });
    const usualType = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/fhir+json', 'application/x-www-form-urlencoded') },
      { weight: 1, arbitrary: contentType },
    );
    return fc
      .tuple(
        fc.oneof(
          { weight: 3, arbitrary: kickoffGet },
          { weight: 2, arbitrary: kickoffPost },
          { weight: 2, arbitrary: poll },
          { weight: 2, arbitrary: fileDownload },
          { weight: 1, arbitrary: groups },
          { weight: 2, arbitrary: tokenRequest },
          { weight: 1, arbitrary: tokenFine },
        ),
        fc.oneof({ weight: 3, arbitrary: fc.constant('valid') }, { weight: 1, arbitrary: authorization }),
        headerArb,
        usualType,
        bodyArb,
        fc.nat(3),
      )
      .map(([picked, auth, headers, type, anyBody, async]) => {
        const { fixed, ...route }: { method: string; path: string; query: string; fixed?: { type: string; body: string } } = picked;
        const body = fixed ? fixed.body : anyBody;
        return {
        ...route,
        auth,
        headers: {
          ...headers,
          contentType: fixed ? fixed.type : body === undefined ? headers.contentType : type,
          // The standard profile's kick-off needs Accept and Prefer: usually send them.
          ...(profile === 'standard' && async > 0 ? ASYNC : {}),
        },
        body: route.method === 'GET' || route.method === 'HEAD' ? undefined : body,
        };
      });
  };

  /**
   * The admin API with and without its secret. With the secret, only requests that change
   * nothing (reads, disarming, bodies that must be refused): arming a fault or resetting the
   * mock would turn the rest of the run into that fault's deliberate answers.
   */
  const adminCase = (): fc.Arbitrary<Case> =>
    fc
      .tuple(
        fc.constantFrom(
          ['GET', '/_mock/scenarios'],
          ['DELETE', '/_mock/scenarios'],
          ['POST', '/_mock/scenarios'],
          ['POST', '/_mock/clock'],
          ['PUT', '/_mock/reset'],
          ['GET', '/_mock/reset'],
          ['PATCH', '/_mock/clock'],
        ),
        fc.oneof({ weight: 2, arbitrary: fc.constant('admin') }, { weight: 1, arbitrary: authorization }),
        headerArb,
        bodyArb,
      )
      .map(([[method, path], auth, headers, body]) => ({
        method: method!,
        path: path!,
        query: '',
        auth,
        headers: { ...headers, contentType: 'application/json', contentEncoding: undefined, huge: undefined },
        body: method === 'GET' ? undefined : body,
      }))
      // A well-formed arming or clock request with the secret would change the mock's state.
      .filter((c) => !(c.auth === 'admin' && typeof c.body === 'string' && /"(scenario|advanceDays)"/.test(c.body) && acceptedByAdmin(c.body)));
  const acceptedByAdmin = (body: string): boolean => {
    try {
      const v = JSON.parse(body) as Record<string, unknown>;
      return (typeof v.scenario === 'string' && v.count === undefined) || (Number.isInteger(v.advanceDays) && (v.advanceDays as number) >= 1);
    } catch {
      return false;
    }
  };

  const caseArb = (): fc.Arbitrary<Case> =>
    fc.oneof({ weight: 6, arbitrary: targetedCase() }, { weight: 4, arbitrary: freeCase() }, { weight: 1, arbitrary: adminCase() });

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
    else if (c.auth === 'admin') headers.authorization = `Bearer ${ADMIN_TOKEN}`;
    else if (c.auth !== 'none') headers.authorization = expand(c.auth);
    // The client refuses to put spaces, controls or non-Latin-1 in a request line; send them
    // percent-encoded (the raw-socket test sends the unencodable ones).
    const path = expand(c.path + c.query).replace(/[^\u0021-\u00ff]/gu, (ch) => encodeURIComponent(ch));
    const body = typeof c.body === 'string' ? expand(c.body) : c.body;
    return { method: c.method, path, headers, body };
  }

  // ---- what must hold whatever was sent -------------------------------------------------------

  function assertAnswer(c: Case, res: HttpResponse): void {
    expect(res.status, 'no 5xx').toBeLessThan(500);
    if (res.status < 400) {
      assertSuccess(c, res);
      return;
    }
    if (c.method === 'HEAD') return; // no body to inspect
    expect(res.text).not.toMatch(STACK_TRACE);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    const tokenEndpoint = c.method === 'POST' && c.path === '/oauth/token' && res.headers['content-type']?.startsWith('application/json');
    if (tokenEndpoint) {
      expect(OAUTH_ERRORS.has(body.error as string), `RFC 6749 error code, got ${String(body.error)}`).toBe(true);
      expect(typeof body.error_description).toBe('string');
      return;
    }
    // Of the Accept values sent, only application/json prefers plain JSON (docs/behaviour.md,
    // "Content negotiation"); a refusal made on the raw connection, before the headers are read,
    // is FHIR's type.
    const outcomeType = c.headers.accept === 'application/json' ? /^application\/(fhir\+)?json/ : /^application\/fhir\+json/;
    expect(res.headers['content-type']).toMatch(outcomeType);
    expect(body.resourceType).toBe('OperationOutcome');
    const issues = body.issue as { severity: string; code: string; diagnostics: string }[];
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(ISSUE_TYPES.has(issue.code), `IssueType code, got ${issue.code}`).toBe(true);
      expect(['fatal', 'error', 'warning']).toContain(issue.severity);
      expect(issue.diagnostics.length).toBeGreaterThan(0);
    }
  }

  /** A success may only ever show what its caller is entitled to. */
  function assertSuccess(c: Case, res: HttpResponse): void {
    if (c.method !== 'GET') return;
    const download = /^\/api\/v1\/connect\/file\/([^/]+)\/download$/.exec(c.path);
    if (download && res.status === 200) {
      const file = files.get(decodeURIComponent(download[1]!).toLowerCase());
      expect(file, 'only files of finished jobs are served').toBeDefined();
      expect(c.auth, "only to the owner's tokens").toBe(file!.owner);
      expect(res.text).toBe(file!.body);
    }
    if (c.path.endsWith('/$export-poll-status') && res.status === 200) {
      expect(c.auth).toBe('valid');
      expect(normalized(JSON.parse(res.text) as Manifest)).toEqual(normalized(baseline));
    }
    if (c.path.startsWith('/_mock/') && res.status === 200) expect(c.auth).toBe('admin');
    // Only the page's own built files are served there; no path reaches outside them.
    if (c.path.startsWith('/demo/assets/')) expect(res.status).not.toBe(200);
  }

  describe(`malformed requests, ${profile} profile`, () => {
    it(`${numRuns} of them, on every route: answered below 500 with a well-formed error, no stray job`, async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(caseArb(), async (c) => {
          runs++;
          const before = countJobs();
          const res = await send({ port }, toRequest(c));
          seen.add(`${res.status} ${routeOf(c.path)}`);
          assertAnswer(c, res);
          if (res.status === 202 && routeOf(c.path) === 'kick-off') {
            accepted.push(/_jobId=([0-9a-f-]{36})$/.exec(res.headers['content-location'] as string)![1]!);
          }
          if (res.status >= 400) expect(countJobs(), 'a rejected request creates no job').toBe(before);
        }),
        { numRuns, seed, endOnFailure: true },
      );
      expect(runs).toBe(numRuns);
      // The run must have reached every handler and every limit, not only the router's 404.
      expect(mustSee.filter((s) => !seen.has(s))).toEqual([]);
      expect([...seen].some((s) => s.startsWith('204 ')), 'a CORS preflight').toBe(true);
    });

    it('let every export they started finish: bad input is refused at kick-off, not found later by a failing job', async () => {
      expect(accepted.length).toBeGreaterThanOrEqual(10);
      const status = (id: string) => t.app.store.repos().jobs.get(id)?.status;
      await until(() => accepted.every((id) => !['accepted', 'in-progress'].includes(status(id) ?? '')), 'the accepted jobs to settle');
      expect(accepted.filter((id) => status(id) === 'failed')).toEqual([]);
    });

    it('treat the names of built-in object members as the unknown names they are', async () => {
      for (const query of ['?__proto__=x', '?constructor=x', '?toString=1', '?_typeFilter=Patient%3Fconstructor%3Dx', '?_typeFilter=Patient%3F__proto__%3Dx']) {
        const res = await t.app.inject({ method: 'GET', url: `${BASE}/fhir/$export${query}`, headers: { ...bearer(token), ...ASYNC } });
        expect(res.statusCode, query).toBe(400);
        expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error' }] });
      }
    });

    it('still serve a correct export afterwards', async () => {
      expect((await send({ port }, { path: '/health' })).status).toBe(200);
      const fresh = await finish(await startExport(token, ''), token);
      expect(fresh.output.map((o) => [o.type, o.count])).toEqual(baseline.output.map((o) => [o.type, o.count]));
      for (const [i, entry] of fresh.output.entries()) {
        const res = await send({ port }, { path: `${BASE}/file/${fileIdOf(entry.url)}/download`, headers: bearer(token) });
        expect(res.status).toBe(200);
        expect(res.text).toBe(files.get(fileIdOf(baseline.output[i]!.url))!.body);
      }
    });
  });
}

const common = [
  '200 download', '200 health', '200 poll', '200 token', '202 kick-off',
  '400 download', '400 kick-off', '400 poll', '400 token', '401 admin', '401 download', '401 kick-off', '401 poll',
  '404 download', '404 other', '404 poll', '405 admin', '405 download', '405 kick-off', '405 token',
  '413 kick-off', '415 kick-off', '431 kick-off', '200 admin', '400 admin',
];
fuzzSuite('verto', 1000, 20260301, [...common, '404 group', '404 metadata']);
fuzzSuite('standard', 600, 20260302, [...common, '200 group', '200 metadata', '404 group']);
