// Bytes that are not quite HTTP, written straight to a socket: broken request lines, header
// syntax, body framing (Content-Length against Transfer-Encoding), CONNECT, HTTP/2 and TLS
// greetings. The parser refuses them before any route runs; the answer must still be an
// OperationOutcome below 500, and the server must go on serving.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/http/limits.js';
import { BASE, buildTestApp, getToken, type TestApp } from '../helper.js';
import { listen } from './support/http-client.js';

let t: TestApp;
let port: number;
let token: string;

beforeAll(async () => {
  t = await buildTestApp();
  port = await listen(t.app);
  token = await getToken(t.app);
});

afterAll(async () => {
  await t?.app.close();
});

/** Writes `bytes`, half-closes, and returns everything the server sent before closing. */
function exchange(bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // The server may close while the rest of a refused request is still being written.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return;
      reject(err);
    });
  });
}

interface ParsedResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** The first response in `raw`; its body read by Content-Length (error answers always carry one). */
function firstResponse(raw: Buffer): ParsedResponse {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  expect(end, `a complete response head in ${JSON.stringify(text.slice(0, 200))}`).toBeGreaterThan(0);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const match = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine!);
  expect(match, `a status line, got ${JSON.stringify(statusLine)}`).not.toBeNull();
  const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const length = Number(headers.get('content-length') ?? 0);
  return { status: Number(match![1]), headers, body: raw.subarray(end + 4, end + 4 + length).toString('utf8') };
}

const CRLF = '\r\n';
const target = fc.constantFrom(
  '/health',
  '/oauth/token',
  `${BASE}/fhir/$export`,
  `${BASE}/fhir/$export-poll-status?_jobId=00000000-0000-4000-8000-000000000000`,
  `${BASE}/file/00000000-0000-4000-8000-000000000000/download`,
  '*',
  'http://127.0.0.1/health',
  '/he alth',
  '/\u0000',
  '/\u00ff\u00fe',
  'health',
  '',
);
const requestLine = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('GET', 'POST', 'DELETE', 'HEAD', 'FOO', 'G ET', 'get', ''), target, fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1 extra', '')).map(([m, p, v]) => `${m} ${p} ${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('CONNECT 127.0.0.1:22 HTTP/1.1', 'PRI * HTTP/2.0', '\u0016\u0003\u0001\u0000\u00a5\u0001', '') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 80 }) },
);
const headerLine = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('Host: 127.0.0.1', 'Accept: */*', `Authorization: Bearer ${'t'.repeat(43)}`, 'Content-Type: application/json', 'Connection: keep-alive', 'Connection: Upgrade', 'Upgrade: websocket') },
  { weight: 2, arbitrary: fc.constantFrom('Bad Header: v', 'NoColon', ': empty-name', 'X: a\u0000b', 'X: a\rb', ' folded: continuation', 'X:\u007f', 'Host: a', 'Host: b', 'Expect: 100-continue') },
  { weight: 1, arbitrary: fc.constant(`X-Huge: ${'x'.repeat(LIMITS.headerBytes)}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 60 }) },
);
const framing = fc.constantFrom(
  { headers: [], body: '' },
  { headers: ['Content-Length: 2'], body: '{}' },
  { headers: ['Content-Length: 20'], body: '{}' },
  { headers: ['Content-Length: -1'], body: '{}' },
  { headers: ['Content-Length: 2', 'Content-Length: 3'], body: '{}x' },
  { headers: ['Content-Length: 1e3'], body: '{}' },
  { headers: ['Transfer-Encoding: chunked'], body: `2${CRLF}{}${CRLF}0${CRLF}${CRLF}` },
  { headers: ['Transfer-Encoding: chunked'], body: `zz${CRLF}{}${CRLF}0${CRLF}${CRLF}` },
  { headers: ['Transfer-Encoding: chunked'], body: `ffffffffffffffff${CRLF}{}` },
  { headers: ['Transfer-Encoding: chunked', 'Content-Length: 2'], body: `2${CRLF}{}${CRLF}0${CRLF}${CRLF}` },
  { headers: ['Transfer-Encoding: gzip, chunked'], body: `0${CRLF}${CRLF}` },
  { headers: ['Transfer-Encoding: identity'], body: '{}' },
);
const newline = fc.constantFrom(CRLF, CRLF, CRLF, '\n', '\r');

const rawRequest = fc
  .tuple(requestLine, fc.array(headerLine, { maxLength: 5 }), framing, newline)
  .map(([line, headers, frame, nl]) => Buffer.from([line, ...headers, ...frame.headers].join(nl) + nl + nl + frame.body, 'latin1'));

describe('bytes that are not well-formed HTTP', () => {
  it('get a status below 500 and, for errors, an OperationOutcome or RFC 6749 error', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(rawRequest, async (bytes) => {
        const raw = await exchange(bytes);
        // A request cut short by the client's own close may get no answer at all; anything
        // that is answered must be answered properly.
        if (raw.length === 0) return;
        answered++;
        const res = firstResponse(raw);
        expect(res.status).toBeLessThan(500);
        if (res.status < 400 || bytes.toString('latin1').startsWith('HEAD ')) return;
        const body = JSON.parse(res.body) as Record<string, unknown>;
        if (res.headers.get('content-type')?.startsWith('application/json')) {
          expect(typeof body.error).toBe('string'); // the token endpoint's RFC 6749 error
          return;
        }
        expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
        expect(body.resourceType).toBe('OperationOutcome');
      }),
      { numRuns: 250, seed: 8675309, endOnFailure: true },
    );
    expect(answered).toBeGreaterThan(200);
  });

  it('CONNECT is refused with 405 and an OperationOutcome, not a silent close', async () => {
    const res = firstResponse(await exchange(Buffer.from(`CONNECT 127.0.0.1:22 HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}`)));
    expect(res.status).toBe(405);
    expect(JSON.parse(res.body)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-supported' }] });
  });

  it('headers over the limit get 431, a request line over it too', async () => {
    const big = firstResponse(await exchange(Buffer.from(`GET /health HTTP/1.1${CRLF}Host: x${CRLF}X: ${'x'.repeat(LIMITS.headerBytes)}${CRLF}${CRLF}`)));
    expect(big.status).toBe(431);
    expect(JSON.parse(big.body)).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: `The request line and headers exceed ${LIMITS.headerBytes} bytes.` }],
    });
    const longUrl = firstResponse(await exchange(Buffer.from(`GET /health?${'a'.repeat(LIMITS.headerBytes)} HTTP/1.1${CRLF}Host: x${CRLF}${CRLF}`)));
    expect(longUrl.status).toBe(431);
    // Just under the limit is still served.
    const fits = firstResponse(await exchange(Buffer.from(`GET /health HTTP/1.1${CRLF}Host: x${CRLF}X: ${'x'.repeat(LIMITS.headerBytes - 200)}${CRLF}${CRLF}`)));
    expect(fits.status).toBe(200);
  });

  it('an HTTP/1.1 request without Host gets 400 with an OperationOutcome', async () => {
    const res = firstResponse(await exchange(Buffer.from(`GET /health HTTP/1.1${CRLF}Connection: close${CRLF}${CRLF}`)));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ issue: [{ diagnostics: 'An HTTP/1.1 request needs a Host header.' }] });
  });

  it('an HTTP/1.0 request without Host gets URLs for the address and port it reached', async () => {
    const res = firstResponse(
      await exchange(Buffer.from(`GET ${BASE}/fhir/$export?_type=Patient HTTP/1.0${CRLF}Authorization: Bearer ${token}${CRLF}${CRLF}`)),
    );
    expect(res.status).toBe(202);
    expect(res.headers.get('content-location')).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}${BASE.replace(/\//g, '\\/')}/fhir/\\$export-poll-status\\?_jobId=`));
  });

  it('the server still serves afterwards', async () => {
    const res = firstResponse(
      await exchange(Buffer.from(`GET ${BASE}/fhir/$export?_type=Patient HTTP/1.1${CRLF}Host: x${CRLF}Authorization: Bearer ${token}${CRLF}Connection: close${CRLF}${CRLF}`)),
    );
    expect(res.status).toBe(202);
    expect(res.headers.get('content-location')).toMatch(/^http:\/\/x\/api\/v1\/connect\/fhir\/\$export-poll-status\?_jobId=[0-9a-f-]{36}$/);
  });
});
