// Compression as the server applies it: which encoding a request gets, and how many downloads
// are compressed at once.
import type { IncomingHttpHeaders } from 'node:http';
import negotiate from '@fastify/accept-negotiator';

export type ContentEncoding = 'gzip' | 'deflate';

/** The encoding the compression plugin would choose for these request headers, or null for none. */
export function negotiatedEncoding(headers: IncomingHttpHeaders): ContentEncoding | null {
  const acceptEncoding = headers['accept-encoding'];
  if (acceptEncoding === undefined || headers['x-no-compression'] !== undefined) return null;
  // As @fastify/compress reads it: "*" and "x-gzip" mean gzip.
  return negotiate(acceptEncoding.toLowerCase().replace(/\*|x-gzip/g, 'gzip'), ['gzip', 'deflate']);
}

/**
 * How many downloads are compressed at once. A gzip or deflate stream holds about 300 kB of
 * compressor state (zlib's window and hash tables, its input and output buffers) for as long as
 * its client takes to read the file, so a crowd of 1,000 clients asking for gzip held 500 MB
 * (docs/benchmarks.md, "Downloads under heavy concurrency"). A compressed download therefore
 * takes a slot before its body starts; beyond the limit it waits, in arrival order, for one to
 * free. The wait is bounded: a download that has waited `maxWaitMs` goes ahead anyway, so
 * clients that stop reading while holding slots slow the others down but never stall them.
 */
export class CompressionSlots {
  private used = 0;
  /** Downloads waiting, each woken with `true` when a slot is handed to it, `false` when it waited too long. */
  private readonly waiting: ((handedOver: boolean) => void)[] = [];

  constructor(
    readonly limit: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Resolves once this download may compress, with the function that gives its slot back (once). */
  async acquire(): Promise<() => void> {
    if (this.used < this.limit && this.waiting.length === 0) {
      this.used++;
      return this.releaser();
    }
    const handedOver = await new Promise<boolean>((resolve) => {
      const wake = (handed: boolean) => {
        clearTimeout(timer);
        resolve(handed);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(wake), 1);
        wake(false);
      }, this.maxWaitMs);
      this.waiting.push(wake);
    });
    // A slot handed over stays counted; one that waited too long goes ahead over the limit.
    if (!handedOver) this.used++;
    return this.releaser();
  }

  /** Downloads compressing now (over the limit when some waited too long), and waiting. */
  get state(): { used: number; waiting: number } {
    return { used: this.used, waiting: this.waiting.length };
  }

  private releaser(): () => void {
    let given = false;
    return () => {
      if (given) return;
      given = true;
      // Within the limit, the slot goes straight to the download that waited longest.
      const next = this.used <= this.limit ? this.waiting.shift() : undefined;
      if (next) next(true);
      else this.used--;
    };
  }
}
