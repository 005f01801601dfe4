// Compression: the encoding a request gets, as the compression plugin chooses it, and the slots
// that bound how many downloads are compressed at once.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CompressionSlots, negotiatedEncoding } from '../../src/http/compression.js';

describe('negotiatedEncoding', () => {
  it('chooses as the compression plugin does', () => {
    expect(negotiatedEncoding({})).toBeNull();
    expect(negotiatedEncoding({ 'accept-encoding': 'gzip' })).toBe('gzip');
    expect(negotiatedEncoding({ 'accept-encoding': 'deflate' })).toBe('deflate');
    expect(negotiatedEncoding({ 'accept-encoding': 'gzip;q=0.2, deflate' })).toBe('deflate');
    expect(negotiatedEncoding({ 'accept-encoding': '*' })).toBe('gzip');
    expect(negotiatedEncoding({ 'accept-encoding': 'x-gzip' })).toBe('gzip');
    expect(negotiatedEncoding({ 'accept-encoding': 'br' })).toBeNull();
    expect(negotiatedEncoding({ 'accept-encoding': 'gzip;q=0' })).toBeNull();
    expect(negotiatedEncoding({ 'accept-encoding': 'gzip', 'x-no-compression': '1' })).toBeNull();
  });
});

describe('CompressionSlots', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets downloads compress up to the limit at once, then hands each freed slot to the one that waited longest', async () => {
    const slots = new CompressionSlots(2, 60_000);
    const a = await slots.acquire();
    const b = await slots.acquire();
    const started: string[] = [];
    const c = slots.acquire().then((release) => (started.push('c'), release));
    const d = slots.acquire().then((release) => (started.push('d'), release));
    await nextTurn();
    expect(started).toEqual([]);
    expect(slots.state).toEqual({ used: 2, waiting: 2 });

    a();
    a(); // a second release changes nothing
    await nextTurn();
    expect(started).toEqual(['c']);
    expect(slots.state).toEqual({ used: 2, waiting: 1 });

    b();
    (await c)();
    await nextTurn();
    expect(started).toEqual(['c', 'd']);
    (await d)();
    expect(slots.state).toEqual({ used: 0, waiting: 0 });
  });

  it('lets a download that waited too long go ahead over the limit, and counts it back', async () => {
    vi.useFakeTimers();
    const slots = new CompressionSlots(1, 5_000);
    const held = await slots.acquire();
    let late: (() => void) | undefined;
    void slots.acquire().then((release) => (late = release));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(late).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(late).toBeDefined();
    expect(slots.state).toEqual({ used: 2, waiting: 0 });
    held();
    late!();
    expect(slots.state).toEqual({ used: 0, waiting: 0 });
  });
});
