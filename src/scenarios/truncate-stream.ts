// The `download-truncated` scenario: passes the first `keepLines` lines and half of the next,
// then fails the stream, so the server closes the connection before the body's end (an
// unterminated chunked body, or a gzip stream without its trailer).
import { Transform, type TransformCallback } from 'node:stream';

export class TruncatingStream extends Transform {
  private lines = 0;

  constructor(private readonly keepLines: number) {
    super();
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = chunk.toString();
    let cut = -1;
    let from = 0;
    while (this.lines < this.keepLines) {
      const nl = text.indexOf('\n', from);
      if (nl === -1) break;
      this.lines++;
      from = nl + 1;
    }
    if (this.lines >= this.keepLines) {
      const next = text.indexOf('\n', from);
      const lineEnd = next === -1 ? text.length : next;
      cut = from + Math.floor((lineEnd - from) / 2);
    }
    if (cut === -1) {
      done(null, chunk);
      return;
    }
    this.push(text.slice(0, Math.max(cut, from + 1)));
    done(new Error('download cut short on purpose (download-truncated scenario)'));
  }
}
