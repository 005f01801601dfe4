// The `download-truncated` scenario: the client gets a 200, the file's first `keepLines` lines
// and half of the next, then the connection closes before the body's end (an unterminated
// chunked body; with gzip or deflate, a compressed stream without its end). The kept part is
// compressed here, flushed, and written out before the connection is cut: left to the
// compression plugin it would still sit in the compressor when the cut came, and the client
// would see an error status instead of a broken body.
import type { ServerResponse } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { constants, createDeflate, createGzip, type Deflate, type Gzip } from 'node:zlib';
import type { ContentEncoding } from '../http/compression.js';

/** The source's text up to the cut: `keepLines` whole lines, then half of the next. */
export async function* keptPart(source: AsyncIterable<Buffer | string>, keepLines: number): AsyncGenerator<string> {
  let lines = 0;
  for await (const chunk of source) {
    const text = chunk.toString();
    let from = 0;
    while (lines < keepLines) {
      const nl = text.indexOf('\n', from);
      if (nl === -1) break;
      lines++;
      from = nl + 1;
    }
    // Not there yet, or the kept lines end with this chunk: the line to halve starts in the next.
    if (lines < keepLines || from === text.length) {
      yield text;
      continue;
    }
    const next = text.indexOf('\n', from);
    const lineEnd = next === -1 ? text.length : next;
    yield text.slice(0, Math.max(from + Math.floor((lineEnd - from) / 2), from + 1));
    return; // leaving the loop destroys the source
  }
}

/** Ends the response with Fastify's "stream closed prematurely" (logged at info), not an error. */
const cutShort = () =>
  Object.assign(new Error('download cut short on purpose (download-truncated scenario)'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });

/**
 * The body to send for a truncated download. Set `Content-Encoding: <encoding>` on the reply
 * when `encoding` is not null (the compression plugin then leaves the body alone).
 */
export function truncatedBody(source: Readable, keepLines: number, encoding: ContentEncoding | null, res: ServerResponse): Readable {
  const out = new PassThrough();
  const zip: Gzip | Deflate | null = encoding === 'gzip' ? createGzip({ level: 1 }) : encoding === 'deflate' ? createDeflate({ level: 1 }) : null;
  zip?.on('data', (chunk: Buffer) => {
    if (!out.destroyed) out.write(chunk);
  });
  const sink = zip ?? out;
  // The client may leave at any time (Fastify then destroys `out`): stop waiting and clean up.
  const gone = new Promise<void>((resolve) => out.once('close', resolve));
  void (async () => {
    try {
      for await (const piece of keptPart(source, keepLines)) {
        if (out.destroyed) break;
        if (!sink.write(piece)) await Promise.race([new Promise((resolve) => sink.once('drain', resolve)), gone]);
      }
      if (out.destroyed) return;
      if (zip) await new Promise<void>((resolve) => zip.flush(constants.Z_SYNC_FLUSH, () => resolve()));
      // Let what was written reach the socket before the cut (a reader that stalls gets cut anyway).
      for (let waited = 0; waited < 5000 && !out.destroyed; waited += 5) {
        if (out.readableLength === 0 && res.headersSent && res.writableLength === 0) break;
        await sleep(5);
      }
    } catch {
      // The source failed or the client left: cut all the same.
    } finally {
      zip?.destroy();
      source.destroy();
      out.destroy(cutShort());
    }
  })();
  return out;
}
