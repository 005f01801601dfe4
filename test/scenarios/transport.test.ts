// The bodies of the transport faults on their own: the pace of download-slow window by window on
// a manual clock, and count-mismatch's body without its last line.
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { withoutLastLine } from '../../src/scenarios/count-mismatch.js';
import { cutBody, PACE_WINDOW_MS, PacedStream, type Timers } from '../../src/scenarios/transport.js';

/** Timers on a manual clock: `advance` runs what falls due. */
function manualTimers() {
  let now = 0;
  let queue: { at: number; run: () => void }[] = [];
  const timers: Timers = {
    now: () => now,
    setTimeout: (run, ms) => {
      const timer = { at: now + ms, run };
      queue.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      queue = queue.filter((q) => q !== handle);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    const due = queue.filter((q) => q.at <= now);
    queue = queue.filter((q) => q.at > now);
    for (const q of due) q.run();
  };
  return { timers, advance, pending: () => queue.length };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PacedStream', () => {
  it('sends each window its share of the rate, and no more, until the whole body is through', async () => {
    const { timers, advance } = manualTimers();
    const paced = new PacedStream(250, timers); // 25 bytes a window
    const received: number[] = [];
    let inWindow = 0;
    paced.on('data', (c: Buffer) => (inWindow += c.length));
    paced.end(Buffer.alloc(110, 'x'));
    await tick();
    for (let w = 0; w < 6; w++) {
      received.push(inWindow);
      inWindow = 0;
      advance(PACE_WINDOW_MS);
      await tick();
    }
    expect(received).toEqual([25, 25, 25, 25, 10, 0]);
  });

  it('spreads a rate that does not divide into windows so that every second carries it exactly', async () => {
    const { timers, advance } = manualTimers();
    const paced = new PacedStream(15, timers); // 1.5 bytes a window
    let sent = 0;
    paced.on('data', (c: Buffer) => (sent += c.length));
    paced.end(Buffer.alloc(100, 'x'));
    const perSecond: number[] = [];
    for (let s = 0; s < 3; s++) {
      const before = sent;
      for (let w = 0; w < 1000 / PACE_WINDOW_MS; w++) {
        await tick();
        advance(PACE_WINDOW_MS);
      }
      await tick();
      perSecond.push(sent - before);
    }
    expect(perSecond).toEqual([15, 15, 15]);
  });

  it('holds no timer once destroyed', async () => {
    const { timers, pending } = manualTimers();
    const paced = new PacedStream(10, timers);
    paced.resume();
    paced.write(Buffer.alloc(100));
    await tick();
    expect(pending()).toBe(1);
    paced.destroy();
    await tick();
    expect(pending()).toBe(0);
  });
});

describe('cutBody', () => {
  /** A response that has sent its head and has nothing waiting. */
  const flushed = { headersSent: true, writableLength: 0 } as ServerResponse;

  it('a stalled body lets go of the file at the cut: it holds nothing while it waits', async () => {
    const page = `${'x'.repeat(1000)}\n`.repeat(64);
    let pulled = 0;
    const source = new Readable({
      read() {
        pulled++;
        this.push(page);
      },
    });
    let outlasted = false;
    const body = cutBody(source, 10, flushed, { kind: 'stall', ms: 600_000, outlasted: () => (outlasted = true) });
    let text = '';
    body.on('data', (c: Buffer) => (text += String(c)));
    for (let i = 0; i < 400 && !source.destroyed; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    // Ten lines and half the next, read from the first page; the source is gone, the body still open.
    expect(source.destroyed).toBe(true);
    expect(pulled).toBeLessThanOrEqual(2);
    expect(text).toBe(`${'x'.repeat(1000)}\n`.repeat(10) + 'x'.repeat(500));
    expect(body.destroyed).toBe(false);
    // The client leaves during the stall: the body ends, and the stall did not run out.
    body.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(outlasted).toBe(false);
  });

  it('a stall that runs its course says so, then ends the body as cut short', async () => {
    let outlasted = false;
    const body = cutBody(Readable.from(['a1\nb2\nc3cc\n']), 1, flushed, { kind: 'stall', ms: 1, outlasted: () => (outlasted = true) });
    let text = '';
    const error = await new Promise<string | undefined>((resolve) => {
      body.on('data', (c: Buffer) => (text += String(c)));
      body.on('error', (e: NodeJS.ErrnoException) => resolve(e.code));
      body.on('end', () => resolve(undefined));
    });
    expect(text).toBe('a1\nb');
    expect(error).toBe('ERR_STREAM_PREMATURE_CLOSE');
    expect(outlasted).toBe(true);
  });
});

describe('withoutLastLine', () => {
  it('drops the last line, wherever the pages break', async () => {
    const pages = ['{"a":1}\n{"b', '":2}\n', '{"c":3}\n{"d":4}\n'];
    let out = '';
    for await (const chunk of withoutLastLine(Readable.from(pages))) out += String(chunk);
    expect(out).toBe('{"a":1}\n{"b":2}\n{"c":3}\n');
  });

  it('leaves nothing of a one-line file', async () => {
    let out = '';
    for await (const chunk of withoutLastLine(Readable.from(['{"a":1}\n']))) out += String(chunk);
    expect(out).toBe('');
  });
});
