// Streams a file's rows as NDJSON, one page of rows per read, with backpressure: memory holds
// at most one page whatever the file size, and no statement stays open between reads.
// A page normally arrives from the store already as NDJSON bytes (one Buffer, newlines in
// place, copied once out of SQLite), so nothing here parses or re-serialises a resource, and
// nothing decodes the UTF-8 into a JavaScript string only for the socket to encode it back:
// that round trip cost as much as the rest of a download together.
import { Readable } from 'node:stream';
import { pageScheduler, type PageScheduler } from './page-scheduler.js';

export interface NdjsonPage {
  /** rid of the page's last row: the next page starts after it. */
  lastRid: number;
  /** Rows in the page. */
  count: number;
  /** The rows' JSON, each followed by `\n`, as UTF-8. */
  ndjson: Buffer;
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
  return { lastRid: rows[rows.length - 1]![0], count: rows.length, ndjson: Buffer.from(ndjson) };
}

export class NdjsonRangeStream extends Readable {
  private after: number;
  private remaining: number;
  private readonly task = { run: () => this.readNext(), cancelled: () => this.destroyed };

  /** Streams the `count` rows from `fromRid` on; the count is known, so no read is spent finding the end. */
  constructor(
    private readonly readPage: PageReader,
    fromRid: number,
    count: number,
    private readonly pageRows = PAGE_ROWS,
    private readonly scheduler: PageScheduler = pageScheduler,
  ) {
    super();
    this.after = fromRid - 1;
    this.remaining = count;
  }

  override _read(): void {
    // Every page, the first too, waits its turn in the scheduler's queue: concurrent downloads
    // take turns page by page, and no turn of the event loop reads more than its budget. With
    // nothing else waiting, the page is read in this turn's check phase, so a lone download
    // pays nothing for it.
    this.scheduler.enqueue(this.task);
  }

  private readNext(): void {
    try {
      const page = this.remaining > 0 ? this.readPage(this.after, Math.min(this.remaining, this.pageRows)) : undefined;
      if (!page || page.count === 0) {
        this.push(null);
        return;
      }
      this.after = page.lastRid;
      this.remaining -= page.count;
      this.push(page.ndjson);
      if (this.remaining <= 0) this.push(null);
    } catch (err) {
      this.destroy(err as Error);
    }
  }
}
