// A request refused before its body is read (404, 405, 401, 413) must still get its status and
// OperationOutcome over a real socket, however large the body the client goes on writing: the
// server reads and discards the rest (up to a bound) before it closes, so the client's writes
// never hit a closed socket (EPIPE) and its read never meets a reset (ECONNRESET).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/http/limits.js';
import { BASE, buildTestApp, getToken, type TestApp } from '../helper.js';
import { listen } from './support/http-client.js';
import { exchange as rawExchange, head, type RawRequest } from './support/raw-exchange.js';

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

const CRLF = '\r\n';
const MB = 1024 * 1024;
const PIECE = 64 * 1024;
const exchange = (requests: RawRequest[]) => rawExchange(() => connect(port, '127.0.0.1'), requests);

const REFUSED = [
  { status: 404, method: 'GET', path: `${BASE}/?_jobId=%ff%fe`, headers: [] },
  { status: 404, method: 'GET', path: '/nothing-here', headers: ['Connection: close'] },
  // A body sent to no route is still read first, and refused for its size.
  { status: 413, method: 'DELETE', path: `${BASE}/?_jobId=%ff%fe`, headers: ['Content-Type: application/json'] },
  { status: 413, method: 'POST', path: '/nothing-here', headers: ['Content-Type: application/fhir+json', 'Connection: close'] },
  { status: 405, method: 'PUT', path: `${BASE}/fhir/$export`, headers: ['Content-Type: application/fhir+json'] },
  { status: 405, method: 'PATCH', path: '/oauth/token?_type=', headers: ['Content-Type: application/x-www-form-urlencoded', 'Connection: close'] },
  { status: 401, method: 'GET', path: `${BASE}/fhir/$export`, headers: [] },
  { status: 401, method: 'GET', path: `${BASE}/file/00000000-0000-4000-8000-000000000000/download`, headers: ['Connection: close'] },
  { status: 413, method: 'POST', path: `${BASE}/fhir/$export`, headers: ['Content-Type: application/fhir+json', 'AUTH'] },
  { status: 413, method: 'POST', path: `${BASE}/fhir/$export`, headers: ['Content-Type: application/fhir+json', 'AUTH', 'Connection: close'] },
] as const;

describe('a request refused before its large body is read', () => {
  for (const framing of ['length', 'chunked'] as const) {
    for (const r of REFUSED) {
      it(`${r.method} ${r.path} with 3 MB (${framing === 'length' ? 'Content-Length' : 'chunked'}) gets ${r.status} and an OperationOutcome, without EPIPE or ECONNRESET`, async () => {
        const size = 3 * MB;
        const headers = r.headers.map((h) => (h === 'AUTH' ? `Authorization: Bearer ${token}` : h));
        const res = await exchange([
          {
            head: head(r.method, r.path, headers, framing, size),
            body: size,
            chunked: framing === 'chunked',
            answerAfter: r.status === 413 ? 20 * PIECE : PIECE,
          },
        ]);
        expect(res.error).toBeUndefined();
        expect(res.wrote).toBe(true);
        expect(res.answers.map((a) => a.status)).toEqual([r.status]);
        expect(res.answers[0]!.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
        expect(JSON.parse(res.answers[0]!.body)).toMatchObject({ resourceType: 'OperationOutcome' });
      });
    }
  }

  it('POST /oauth/token?_type= with a body over the limit gets its answer, without EPIPE or ECONNRESET', async () => {
    const size = 3 * MB;
    const res = await exchange([
      {
        head: head('POST', '/oauth/token?_type=', ['Content-Type: application/x-www-form-urlencoded', 'Connection: close'], 'length', size),
        body: size,
        answerAfter: 20 * PIECE,
      },
    ]);
    expect(res.error).toBeUndefined();
    expect(res.wrote).toBe(true);
    expect(res.answers.map((a) => a.status)).toEqual([400]);
    expect(JSON.parse(res.answers[0]!.body)).toMatchObject({ error: 'invalid_request' });
  });

  it('a connection stays usable after a small refused body, with either framing', async () => {
    const small = Buffer.from('{"resourceType":"Parameters"}');
    const res = await exchange([
      { head: head('PUT', `${BASE}/fhir/$export`, ['Content-Type: application/fhir+json'], 'length', small.length), body: small },
      { head: head('GET', `${BASE}/fhir/$export`, [], 'chunked', small.length), body: small, chunked: true },
      { head: head('DELETE', '/nothing-here', ['Content-Type: application/json'], 'length', small.length), body: small },
      { head: [`GET /health HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'].join(CRLF) + CRLF + CRLF, body: 0 },
    ]);
    expect(res.error).toBeUndefined();
    expect(res.answers.map((a) => a.status)).toEqual([405, 401, 404, 200]);
  });

  it('a connection without Connection: close serves the next request after a large refused body', async () => {
    const res = await exchange([
      { head: head('GET', '/nothing-here', [], 'length', 3 * MB), body: 3 * MB, answerAfter: PIECE },
      { head: head('PUT', `${BASE}/fhir/$export`, [], 'chunked', 0), body: 3 * MB, chunked: true, answerAfter: PIECE },
      { head: [`GET /health HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'].join(CRLF) + CRLF + CRLF, body: 0 },
    ]);
    expect(res.error).toBeUndefined();
    expect(res.answers.map((a) => a.status)).toEqual([404, 405, 200]);
  });

  it(`a body beyond the bound (${LIMITS.lingerBytes / MB} MiB) is not read to its end: the connection closes while the client still sends`, async () => {
    for (const framing of ['length', 'chunked'] as const) {
      const size = 256 * MB;
      const res = await exchange([
        { head: head('GET', '/nothing-here', ['Connection: close'], framing, size), body: size, chunked: framing === 'chunked', answerAfter: PIECE },
      ]);
      expect(res.answers.map((a) => a.status), framing).toEqual([404]);
      expect(res.wrote, framing).toBe(false);
    }
  });
});
