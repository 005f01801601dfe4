// Streams a file's rows as NDJSON, one page of rows per read, with backpressure: memory holds
// at most one page whatever the file size, and no statement stays open between reads.
// A page normally arrives from the store already as NDJSON text (one string, newlines in
// place), so nothing here parses or re-serialises a resource. Pages stay strings: Node writes
// a string to the socket without an intermediate Buffer, and the string is reclaimed with the
// young generation, where a Buffer per page would wait for a full garbage collection.
import { Readable } from 'node:stream';
import { clearImmediate, setImmediate } from 'node:timers';

export interface NdjsonPage {
  /** rid of the page's last row: the next page starts after it. */
  lastRid: number;
  /** Rows in the page. */
  count: number;
  /** The rows' JSON, each followed by `\n`. */
  ndjson: string;
}

/** Up to `limit` rows after `afterRid` as one NDJSON page, or nothing when no row is left. */
export type PageReader = (afterRid: number, limit: number) => NdjsonPage | undefined;

/**
 * Rows per read. At about 1 kB a row a page is about 64 kB: big enough that a read costs
 * little beside the rows it returns, small enough that many downloads at once (and the copies
 * zlib takes of them) stay a few MB.
 */
export const PAGE_ROWS = 64;

/** A page built in JavaScript from [rid, line] rows, for lines that must be rewritten first. */
export function pageOfLines(rows: readonly [rid: number, line: string][]): NdjsonPage | undefined {
  if (rows.length === 0) return undefined;
  let ndjson = '';
  for (const [, line] of rows) ndjson += `${line}\n`;
  return { lastRid: rows[rows.length - 1]![0], count: rows.length, ndjson };
}

export class NdjsonRangeStream extends Readable {
  private after: number;
  private remaining: number;
  private pagesRead = 0;
  private pending: NodeJS.Immediate | undefined;

  /** Streams the `count` rows from `fromRid` on; the count is known, so no read is spent finding the end. */
  constructor(
    private readonly readPage: PageReader,
    fromRid: number,
    count: number,
    private readonly pageRows = PAGE_ROWS,
  ) {
    // With an encoding set, pushed strings are kept as they are instead of becoming Buffers.
    super({ encoding: 'utf8' });
    this.after = fromRid - 1;
    this.remaining = count;
  }

  override _read(): void {
    // The first page is read at once (time to first byte); each later one after a turn of the
    // event loop, so that concurrent downloads take turns page by page. Otherwise a fast
    // client can drain a whole file while the others wait, and requests such as /health
    // queue behind it.
    if (this.pagesRead++ === 0) this.readNext();
    else this.pending = setImmediate(() => this.readNext());
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (this.pending) clearImmediate(this.pending);
    callback(err);
  }

  private readNext(): void {
    this.pending = undefined;
    try {
      const page = this.remaining > 0 ? this.readPage(this.after, Math.min(this.remaining, this.pageRows)) : undefined;
      if (!page || page.count === 0) {
        this.push(null);
        return;
      }
      this.after = page.lastRid;
      this.remaining -= page.count;
      this.push(page.ndjson, 'utf8');
      if (this.remaining <= 0) this.push(null);
    } catch (err) {
      this.destroy(err as Error);
    }
  }
}
