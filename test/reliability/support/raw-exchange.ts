// Raw HTTP/1.1 over a socket, for tests that need to write a large body at their own pace
// while the server answers: requests written piece by piece, responses parsed by
// Content-Length, and any socket error the client meets recorded rather than thrown.
import type { Socket } from 'node:net';

const CRLF = '\r\n';
const PIECE = 64 * 1024;
const filler = Buffer.alloc(PIECE, 'a');

export interface Answer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

export interface Exchange {
  /** Every response read, in order. */
  answers: Answer[];
  /** A socket error the client met (EPIPE, ECONNRESET), if any. */
  error?: string;
  /** Whether the whole body was written before the socket closed. */
  wrote: boolean;
}

/** The complete responses at the start of `raw` (each error answer carries a Content-Length). */
export function parseAnswers(raw: Buffer): Answer[] {
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

export interface RawRequest {
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
export function exchange(connect: () => Socket, requests: RawRequest[]): Promise<Exchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let wrote = false;
    const socket = connect();
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
    // Writes before the connection (or TLS handshake) completes are buffered by the socket.
    void writeAll().catch(() => undefined);
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

/** A request head with the given framing: `Content-Length: size`, or chunked. */
export const head = (method: string, path: string, headers: string[], framing: 'length' | 'chunked', size: number) =>
  [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers, framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`]
    .join(CRLF) + CRLF + CRLF;
