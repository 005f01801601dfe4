// The contract checker itself: responses broken on purpose must be caught, with a message that
// says what departs from the document; conforming ones must pass.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/plugins/openapi.js';
import { ContractValidator, type Exchange, type OpenApiDocument } from './contract-validator.js';

const validator = new ContractValidator(loadDocument() as unknown as OpenApiDocument);

const POLL = '/api/v1/connect/fhir/$export-poll-status';
const FILE_ID = '96f17e86-7aba-4c8c-894d-84cb4dda65c3';
const REQUEST_ID = '4f6c1f7e-2a0b-4c61-9d1e-7a8b9c0d1e2f';
const HTTP_DATE_PATTERN = '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$';
const URL_PATTERN = '^(https?://[^/?#]+(/[^/?#]+)*)?/file/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/(download|signed\\?expires=\\d+&signature=[A-Za-z0-9_-]+)$';

const manifest = () => ({
  transactionTime: '2026-03-01T00:00:00.000Z',
  request: 'http://127.0.0.1:3000/api/v1/connect/fhir/$export?_type=Patient',
  requiresAccessToken: true,
  output: [{ type: 'Patient', url: `/file/${FILE_ID}/download`, count: 60 }] as Record<string, unknown>[],
  error: [],
});

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function exchange(overrides: Partial<Exchange> = {}): Exchange {
  return {
    method: 'GET',
    path: POLL,
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      expires: 'Sun, 01 Mar 2026 01:00:00 GMT',
      'x-request-id': REQUEST_ID,
      'content-length': '250',
      'access-control-allow-origin': '*',
    },
    body: json(manifest()),
    ...overrides,
  };
}

const outcome = (code: string, diagnostics: string) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code, diagnostics }],
});
const fhirJson = { 'content-type': 'application/fhir+json; charset=utf-8', 'x-request-id': REQUEST_ID };

describe('the contract checker', () => {
  it('passes a manifest that matches the document', () => {
    expect(validator.check(exchange())).toEqual([]);
  });

  it('fails a manifest whose entries say "counts" instead of "count"', () => {
    const broken = manifest();
    broken.output = [{ type: 'Patient', url: `/file/${FILE_ID}/download`, counts: 60 }];
    expect(validator.check(exchange({ body: json(broken) }))).toEqual([
      `GET ${POLL} → 200: body/output/0 must have required property 'count'`,
      `GET ${POLL} → 200: body/output/0 must NOT have additional properties ("counts")`,
    ]);
  });

  it('fails an extra field where the shape is fixed, and a wrong type', () => {
    const broken = { ...manifest(), requiresAccessToken: 'yes', extension: [] };
    expect(validator.check(exchange({ body: json(broken) }))).toEqual([
      `GET ${POLL} → 200: body must NOT have additional properties ("extension")`,
      `GET ${POLL} → 200: body/requiresAccessToken must be boolean`,
    ]);
  });

  it('fails a status the operation does not declare', () => {
    expect(validator.check(exchange({ status: 418, body: json(outcome('exception', 'teapot')) }))).toEqual([
      `GET ${POLL} → 418: status 418 is not declared for GET ${POLL} (declared: 200, 202, 400, 401, 404, 429, 500, 503)`,
    ]);
  });

  it('fails a missing required header, a header of the wrong type and an undeclared header', () => {
    const res = exchange({
      status: 202,
      headers: { 'x-progress': 'queued', 'retry-after': 'soon', 'x-debug': '1', 'x-request-id': REQUEST_ID },
      body: Buffer.alloc(0),
    });
    expect(validator.check(res)).toEqual([
      // Seconds or an HTTP-date: neither.
      `GET ${POLL} → 202: header retry-after must be integer`,
      `GET ${POLL} → 202: header retry-after must match pattern "${HTTP_DATE_PATTERN}"`,
      `GET ${POLL} → 202: header retry-after must match exactly one schema in oneOf`,
      `GET ${POLL} → 202: header x-debug is sent but not declared for this response`,
    ]);
    const { expires: _dropped, ...withoutExpires } = exchange().headers;
    expect(validator.check(exchange({ headers: withoutExpires }))).toEqual([`GET ${POLL} → 200: header expires is required but missing`]);
  });

  it('fails a content type the response does not declare, and a body where none is declared', () => {
    expect(validator.check(exchange({ headers: { ...exchange().headers, 'content-type': 'text/html' } }))).toEqual([
      `GET ${POLL} → 200: Content-Type text/html is not declared for this response (declared: application/json)`,
    ]);
    const running = { 'x-progress': 'queued', 'retry-after': '1', 'x-request-id': REQUEST_ID };
    expect(validator.check(exchange({ status: 202, headers: running, body: Buffer.from('{}') }))).toEqual([
      `GET ${POLL} → 202: the response has a body but the document declares none`,
    ]);
    expect(validator.check(exchange({ status: 202, headers: running, body: Buffer.alloc(0) }))).toEqual([]);
  });

  it('reads compressed bodies as Content-Encoding says', () => {
    const broken = { ...manifest(), output: [{ type: 'Patient', url: '/elsewhere', count: 0 }] };
    const res = exchange({ headers: { ...exchange().headers, 'content-encoding': 'gzip' }, body: gzipSync(json(broken)) });
    expect(validator.check(res)).toEqual([
      `GET ${POLL} → 200: body/output/0/url must match pattern "${URL_PATTERN}"`,
      `GET ${POLL} → 200: body/output/0/count must be >= 1`,
    ]);
  });

  it('checks the token endpoint against its own RFC 6749 shapes', () => {
    const token = {
      method: 'POST',
      path: '/oauth/token',
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache', 'x-request-id': REQUEST_ID },
    };
    const issued = { access_token: 'abc_-1', token_type: 'Bearer', expires_in: 1800, created_at: 1772323200 };
    expect(validator.check({ ...token, body: json(issued) })).toEqual([]);
    const smart = { access_token: 'abc_-2', token_type: 'bearer', expires_in: 300, scope: 'system/*.read' };
    expect(validator.check({ ...token, body: json(smart) })).toEqual([]);
    // Half one grant's answer, half the other's: neither shape.
    expect(validator.check({ ...token, body: json({ ...issued, token_type: 'bearer', scope: 'system/*.read' }) })).toEqual([
      'POST /oauth/token → 200: body must NOT have additional properties ("scope")',
      'POST /oauth/token → 200: body/token_type must be equal to constant',
      'POST /oauth/token → 200: body must NOT have additional properties ("created_at")',
      'POST /oauth/token → 200: body must match exactly one schema in oneOf',
    ]);
    expect(
      validator.check({ ...token, status: 400, body: json({ error: 'wrong_password', error_description: 'No.' }) }),
    ).toEqual(['POST /oauth/token → 400: body/error must be equal to one of the allowed values']);
  });

  it('holds an unknown path to the documented 404 OperationOutcome', () => {
    const unknown = { method: 'GET', path: '/api/v1/connect/fhir/Observation', headers: fhirJson };
    expect(validator.check({ ...unknown, status: 404, body: json(outcome('not-found', 'Nothing here.')) })).toEqual([]);
    expect(validator.check({ ...unknown, status: 200, body: json({}) })).toEqual([
      'GET /api/v1/connect/fhir/Observation → 200: the path is not in the document, so the answer must be 404',
    ]);
    expect(validator.check({ ...unknown, status: 404, body: json({ message: 'Route not found' }) })).toEqual([
      "GET /api/v1/connect/fhir/Observation → 404: body must have required property 'resourceType'",
      "GET /api/v1/connect/fhir/Observation → 404: body must have required property 'issue'",
      'GET /api/v1/connect/fhir/Observation → 404: body must NOT have additional properties ("message")',
    ]);
  });

  it('holds an undocumented method to the documented 405 with the path\'s own methods in Allow', () => {
    const put = { method: 'PUT', path: '/api/v1/connect/fhir/$export', body: json(outcome('not-supported', 'No PUT.')) };
    expect(validator.check({ ...put, status: 405, headers: { ...fhirJson, allow: 'GET, POST' } })).toEqual([]);
    expect(validator.check({ ...put, status: 405, headers: { ...fhirJson, allow: 'GET, POST, HEAD' } })).toEqual([
      'PUT /api/v1/connect/fhir/$export → 405: Allow is "GET, POST, HEAD" but the document has "GET, POST" for /api/v1/connect/fhir/$export',
    ]);
    expect(validator.check({ ...put, status: 405, headers: fhirJson })).toEqual([
      'PUT /api/v1/connect/fhir/$export → 405: header allow is required but missing',
    ]);
    expect(validator.check({ ...put, status: 403, headers: fhirJson })).toEqual([
      'PUT /api/v1/connect/fhir/$export → 403: PUT is not documented for /api/v1/connect/fhir/$export, so the answer must be 405',
    ]);
    // A path that answers HEAD lists it in Allow; a method routed nowhere gets the unknown-path 404.
    const poll = { method: 'POST', path: POLL, body: json(outcome('not-supported', 'No POST.')) };
    expect(validator.check({ ...poll, status: 405, headers: { ...fhirJson, allow: 'GET, DELETE, HEAD' } })).toEqual([]);
    expect(validator.check({ ...poll, method: 'PROPFIND', status: 404, headers: fhirJson })).toEqual([]);
  });

  it('holds a refusal before the operation runs to the operation\'s own declared responses', () => {
    const noHost = { method: 'GET', path: '/health', status: 400, headers: fhirJson };
    expect(validator.check({ ...noHost, body: json(outcome('invalid', 'An HTTP/1.1 request needs a Host header.')) })).toEqual([]);
    expect(validator.check({ ...noHost, body: json({ error: 'Bad Request' }) })).toEqual([
      "GET /health → 400: body must have required property 'resourceType'",
      "GET /health → 400: body must have required property 'issue'",
      'GET /health → 400: body must NOT have additional properties ("error")',
    ]);
    // A generic refusal the operation does not declare is not taken from x-undocumented-requests.
    const tooLarge = { method: 'GET', path: '/health', status: 413, headers: fhirJson, body: json(outcome('too-costly', 'Too large.')) };
    expect(validator.check(tooLarge)).toEqual(['GET /health → 413: status 413 is not declared for GET /health (declared: 200, 400, 503)']);
    // While shutting down /health answers an OperationOutcome with Retry-After; while seeding, its Health body.
    const shuttingDown = { method: 'GET', path: '/health', status: 503, headers: { ...fhirJson, 'retry-after': '5' } };
    expect(validator.check({ ...shuttingDown, body: json(outcome('transient', 'Shutting down.')) })).toEqual([]);
    const starting = { status: 'starting', version: '0.1.0', profile: 'verto', dataset: { patients: 1, seed: 1, referenceDate: '2026-01-01' } };
    const json503 = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': REQUEST_ID };
    expect(validator.check({ ...shuttingDown, headers: json503, body: json(starting) })).toEqual([]);
    // A shutting-down 503 on metadata, which never waits for the data set, must say when to retry.
    const metadata = { method: 'GET', path: '/api/v1/connect/fhir/metadata', status: 503, headers: fhirJson, body: json(outcome('transient', 'No.')) };
    expect(validator.check(metadata)).toEqual(['GET /api/v1/connect/fhir/metadata → 503: header retry-after is required but missing']);
  });

  it('takes a refusal before routing decides (400, 413, 415, 503) on a path the document does not have, as an OperationOutcome', () => {
    const closing = { method: 'GET', path: '/nowhere', status: 503, headers: { ...fhirJson, 'retry-after': '5' } };
    expect(validator.check({ ...closing, body: json(outcome('transient', 'Shutting down.')) })).toEqual([]);
    expect(validator.check({ ...closing, status: 400, headers: fhirJson, body: json(outcome('invalid', 'No Host.')) })).toEqual([]);
    expect(validator.check({ ...closing, status: 415, body: json({ error: 'Unsupported Media Type' }) })).toEqual([
      "GET /nowhere → 415: body must have required property 'resourceType'",
      "GET /nowhere → 415: body must have required property 'issue'",
      'GET /nowhere → 415: body must NOT have additional properties ("error")',
    ]);
    expect(validator.check({ ...closing, status: 418, body: json(outcome('transient', 'No.')) })).toEqual([
      'GET /nowhere → 418: the path is not in the document, so the answer must be 404',
    ]);
  });

  it('checks HEAD on a kick-off as no operation: it must be refused with 405', () => {
    const head = { method: 'HEAD', path: '/api/v1/connect/fhir/$export', body: Buffer.alloc(0) };
    expect(validator.check({ ...head, status: 405, headers: { ...fhirJson, allow: 'GET, POST' } })).toEqual([]);
    expect(validator.check({ ...head, status: 202, headers: fhirJson })).toEqual([
      'HEAD /api/v1/connect/fhir/$export → 202: HEAD is not documented for /api/v1/connect/fhir/$export, so the answer must be 405',
    ]);
  });

  it('checks a HEAD as its GET, without a body', () => {
    const head = exchange({ method: 'HEAD', body: Buffer.alloc(0) });
    expect(validator.check(head)).toEqual([]);
    expect(validator.check({ ...head, status: 201 })).toEqual([
      `HEAD ${POLL} → 201: status 201 is not declared for HEAD ${POLL} (declared: 200, 202, 400, 401, 404, 429, 500, 503)`,
    ]);
  });

  it('matches path templates: a file download with any id', () => {
    const res = {
      method: 'GET',
      path: `/api/v1/connect/file/${FILE_ID}/download`,
      status: 200,
      headers: { 'content-type': 'application/fhir+ndjson', 'cache-control': 'private, no-store', 'x-request-id': REQUEST_ID },
      body: Buffer.from('{"resourceType":"Patient","id":"p1"}\n'),
    };
    expect(validator.templateOf(res.path)).toBe('/api/v1/connect/file/{fileId}/download');
    expect(validator.check(res)).toEqual([]);
    expect(validator.check({ ...res, headers: { ...res.headers, 'cache-control': 'max-age=60' } })).toEqual([
      `GET /api/v1/connect/file/${FILE_ID}/download → 200: header cache-control must be equal to constant`,
    ]);
  });
});
