// Streams a file's rows as NDJSON, one page of rows per read, with backpressure: memory holds
// at most one page whatever the file size, and no statement stays open between reads.
import { Readable } from 'node:stream';

export type PageReader = (afterRid: number, limit: number) => [rid: number, json: string][];

export class NdjsonRangeStream extends Readable {
  private after: number;
  private done = false;

  constructor(
    private readonly readPage: PageReader,
    fromRid: number,
    private readonly pageSize = 256,
  ) {
    super();
    this.after = fromRid - 1;
  }

  override _read(): void {
    if (this.done) return;
    try {
      const rows = this.readPage(this.after, this.pageSize);
      if (rows.length < this.pageSize) this.done = true;
      if (rows.length > 0) {
        this.after = rows[rows.length - 1]![0];
        let chunk = '';
        for (const row of rows) chunk += `${row[1]}\n`;
        this.push(chunk);
      }
      if (this.done) this.push(null);
    } catch (err) {
      this.destroy(err as Error);
    }
  }
}
