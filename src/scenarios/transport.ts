// The bodies of the transport faults (download-slow, download-stall, download-reset): a file sent
// at a capped rate, and a file cut at a fixed byte (the same cut as download-truncated's: half
// the lines, then half of the next line) followed by silence or by a TCP reset. They act on the
// bytes the client receives, so these downloads go out uncompressed. Each holds at most one
// page of the file at a time, like any download; the waits are timers, never a busy event loop.
import type { ServerResponse } from 'node:http';
import { PassThrough, pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import { keptPart } from './truncated-download.js';

/** The time source and timers a paced body runs on (tests give a manual one). */
export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The window over which a rate is enforced: no window carries more than its share of the rate. */
export const PACE_WINDOW_MS = 100;

/** Sends this download uncompressed: the compression plugin skips a request that asks it to. */
export function sendUncompressed(request: FastifyRequest): void {
  request.headers['x-no-compression'] = '1';
}

/** The lines a cut keeps: half the file's lines (then half of the next line). */
export const linesBeforeCut = (count: number): number => Math.floor(count / 2);

/**
 * Passes bytes on at `bytesPerSecond`: window n (of PACE_WINDOW_MS from the first byte) carries
 * at most its share, the shares adding up to the exact rate. A chunk waits whole in the stream
 * until sent (the source is not read meanwhile: backpressure), so it holds one page at most.
 */
export class PacedStream extends Transform {
  private readonly start: number;
  private window = 0;
  private sentInWindow = 0;
  private pending: Buffer | null = null;
  private done: TransformCallback | null = null;
  private timer: unknown;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly timers: Timers = realTimers,
  ) {
    super();
    this.start = timers.now();
  }

  /** The bytes window `w` may carry. */
  budget(w: number): number {
    const upTo = (n: number) => Math.floor((this.bytesPerSecond * n * PACE_WINDOW_MS) / 1000);
    return upTo(w + 1) - upTo(w);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending = chunk;
    this.done = callback;
    this.pump();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    callback(err);
  }

  private pump(): void {
    this.timer = undefined;
    while (this.pending !== null && this.pending.length > 0) {
      const elapsed = this.timers.now() - this.start;
      const w = Math.floor(elapsed / PACE_WINDOW_MS);
      if (w !== this.window) {
        this.window = w;
        this.sentInWindow = 0;
      }
      const room = this.budget(w) - this.sentInWindow;
      if (room <= 0) {
        this.timer = this.timers.setTimeout(() => this.pump(), (w + 1) * PACE_WINDOW_MS - elapsed);
        return;
      }
      const piece = this.pending.subarray(0, room);
      this.pending = this.pending.subarray(piece.length);
      this.sentInWindow += piece.length;
      this.push(piece);
    }
    const done = this.done;
    this.pending = null;
    this.done = null;
    done?.();
  }
}

/** The body at a capped rate. */
export function pacedBody(source: Readable, bytesPerSecond: number, timers: Timers = realTimers): Readable {
  // pipeline ties the two: either one failing or closed destroys the other.
  return pipeline(source, new PacedStream(bytesPerSecond, timers), () => undefined);
}

/** Ends the response as cut short on purpose (Fastify logs a premature close at info), not as an error. */
const cutShort = (why: string) => Object.assign(new Error(why), { code: 'ERR_STREAM_PREMATURE_CLOSE' });

export type CutEnd =
  /** Keep the connection open without a byte for `ms`, then close it; `outlasted` runs if the client was still there. */
  | { kind: 'stall'; ms: number; outlasted: () => void }
  /** End the connection with a TCP reset. */
  | { kind: 'reset' };

/**
 * The body of a download cut after `keepLines` lines and half of the next, then ended as `end`
 * says. The source is let go at the cut: a stalled download holds nothing while it waits.
 */
export function cutBody(source: Readable, keepLines: number, res: ServerResponse, end: CutEnd): Readable {
  const out = new PassThrough();
  const gone = new Promise<void>((resolve) => out.once('close', resolve));
  void (async () => {
    try {
      for await (const piece of keptPart(source, keepLines)) {
        if (out.destroyed) return;
        if (!out.write(piece)) await Promise.race([new Promise((resolve) => out.once('drain', resolve)), gone]);
      }
      // Let what was written reach the socket before the silence or the reset.
      for (let waited = 0; waited < 5000 && !out.destroyed; waited += 5) {
        if (out.readableLength === 0 && res.headersSent && res.writableLength === 0) break;
        await sleep(5);
      }
      if (out.destroyed) return;
      if (end.kind === 'stall') {
        let timer: NodeJS.Timeout | undefined;
        const ranOut = await Promise.race([
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), end.ms))),
          gone.then(() => false),
        ]);
        clearTimeout(timer);
        if (ranOut) end.outlasted();
        out.destroy(cutShort('download stalled on purpose (download-stall scenario), then closed'));
      } else {
        res.socket?.resetAndDestroy();
        out.destroy(cutShort('download reset on purpose (download-reset scenario)'));
      }
    } catch {
      out.destroy(cutShort('download cut on purpose'));
    } finally {
      source.destroy();
    }
  })();
  return out;
}
