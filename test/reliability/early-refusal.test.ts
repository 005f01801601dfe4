// A request refused before its body is read (404, 405, 401, 413) must still get its status and
// OperationOutcome over a real socket, however large the body the client goes on writing: the
// server reads and discards the rest (up to a bound) before it closes, so the client's writes
// never hit a closed socket (EPIPE) and its read never meets a reset (ECONNRESET).
import { connect } from 'node:net';
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

const CRLF = '\r\n';
const MB = 1024 * 1024;
const PIECE = 64 * 1024;
const filler = Buffer.alloc(PIECE, 'a');

interface Answer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

interface Exchange {
  /** Every response read, in order. */
  answers: Answer[];
  /** A socket error the client met (EPIPE, ECONNRESET), if any. */
  error?: string;
  /** Whether the whole body was written before the socket closed. */
  wrote: boolean;
}

/** The complete responses at the start of `raw` (each error answer carries a Content-Length). */
function parseAnswers(raw: Buffer): Answer[] {
  const answers: Answer[] = [];
  let at = 0;
  for (;;) {
    const end = raw.indexOf('\r\n\r\n', at, 'latin1');
    if (end === -1) return answers;
    const [statusLine, ...lines] = raw.subarray(at, end).toString('latin1').split('\r\n');
    const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers.get('content-length') ?? 0);
    if (raw.length < end + 4 + length) return answers;
    answers.push({
      status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine!)?.[1]),
      headers,
      body: raw.subarray(end + 4, end + 4 + length).toString('utf8'),
    });
    at = end + 4 + length;
  }
}

interface RawRequest {
  head: string;
  /** The body, or its length (that many bytes of "a"). */
  body: Buffer | number;
  chunked?: boolean;
  /**
   * After this many body bytes, wait for the server's answer before writing the rest, as a
   * client does that is still sending when the refusal arrives (the server answers a 413
   * only once it has read past the body limit).
   */
  answerAfter?: number;
}

/**
 * Writes each request's head and then its body, in 64 KiB pieces as fast as the socket takes
 * them, then half-closes and reads until the server closes.
 */
function exchange(requests: RawRequest[]): Promise<Exchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let wrote = false;
    const socket = connect(port, '127.0.0.1');
    const write = (data: Buffer | string) =>
      new Promise<void>((done, fail) => {
        if (socket.destroyed) return fail(new Error('closed'));
        if (socket.write(data)) return done();
        const onDrain = () => (socket.off('close', onClose), done());
        const onClose = () => (socket.off('drain', onDrain), fail(new Error('closed')));
        socket.once('drain', onDrain).once('close', onClose);
      });
    let answered: () => void = () => undefined;
    const answers = () => parseAnswers(Buffer.concat(chunks)).length;
    const writeAll = async () => {
      for (const [i, { head, body, chunked, answerAfter }] of requests.entries()) {
        await write(head);
        const length = typeof body === 'number' ? body : body.length;
        for (let at = 0; at < length; at += PIECE) {
          while (at === answerAfter && answers() <= i && !socket.destroyed) await new Promise<void>((done) => (answered = done));
          const piece = typeof body === 'number' ? filler.subarray(0, Math.min(PIECE, length - at)) : body.subarray(at, at + PIECE);
          await write(chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}${CRLF}`), piece, Buffer.from(CRLF)]) : piece);
        }
        if (chunked) await write(`0${CRLF}${CRLF}`);
      }
      wrote = true;
      socket.end();
    };
    socket.on('connect', () => void writeAll().catch(() => undefined));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      answered();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => (error ??= err.code ?? err.message));
    socket.on('close', () => {
      answered();
      resolve({ answers: parseAnswers(Buffer.concat(chunks)), error, wrote });
    });
  });
}

const head = (method: string, path: string, headers: string[], framing: 'length' | 'chunked', size: number) =>
  [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers, framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`]
    .join(CRLF) + CRLF + CRLF;

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
