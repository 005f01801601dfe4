import { describe, expect, it } from 'vitest';
import { planFiles, type RidSource } from '../../src/export/file-plan.js';

/** A source over an in-memory list of [type, rid] rows that counts its reads. */
function source(rows: [string, number][]) {
  const reads: number[] = [];
  const src: RidSource & { reads: number[] } = {
    reads,
    ridsAfter(type, after, to, limit) {
      const out = rows.filter(([t, r]) => t === type && r > after && r <= to).map(([, r]) => r).slice(0, limit);
      reads.push(out.length);
      return out;
    },
  };
  return src;
}

const rowsOf = (type: string, rids: number[]): [string, number][] => rids.map((r) => [type, r]);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('planFiles', () => {
  it('splits a type into full files and a last partial one, in rid order', async () => {
    const src = source(rowsOf('A', range(1, 12)));
    expect(await planFiles(src, ['A'], 100, 5)).toEqual([
      { type: 'A', ridFrom: 1, ridTo: 5, count: 5 },
      { type: 'A', ridFrom: 6, ridTo: 10, count: 5 },
      { type: 'A', ridFrom: 11, ridTo: 12, count: 2 },
    ]);
  });

  it('makes no file for a type without rows, and keeps the requested type order', async () => {
    const src = source([...rowsOf('A', [1, 3, 5]), ...rowsOf('B', [2, 4])]);
    expect(await planFiles(src, ['B', 'C', 'A'], 100, 250)).toEqual([
      { type: 'B', ridFrom: 2, ridTo: 4, count: 2 },
      { type: 'A', ridFrom: 1, ridTo: 5, count: 3 },
    ]);
  });

  it('leaves out rows above the watermark (the snapshot)', async () => {
    const src = source(rowsOf('A', range(1, 10)));
    expect(await planFiles(src, ['A'], 7, 5)).toEqual([
      { type: 'A', ridFrom: 1, ridTo: 5, count: 5 },
      { type: 'A', ridFrom: 6, ridTo: 7, count: 2 },
    ]);
  });

  it('an exact multiple ends with a full file and no empty one', async () => {
    const src = source(rowsOf('A', range(1, 10)));
    const files = await planFiles(src, ['A'], 100, 5);
    expect(files.map((f) => f.count)).toEqual([5, 5]);
  });

  it('reads the index once per file (plus one read to see the end)', async () => {
    const src = source(rowsOf('A', range(1, 1000)));
    const files = await planFiles(src, ['A'], 10_000, 250);
    expect(files).toHaveLength(4);
    expect(src.reads).toEqual([250, 250, 250, 250, 0]);
  });

  it('reads a very large file in bounded pieces', async () => {
    const src = source(rowsOf('A', range(1, 25_000)));
    const files = await planFiles(src, ['A'], 100_000, 1_000_000);
    expect(files).toEqual([{ type: 'A', ridFrom: 1, ridTo: 25_000, count: 25_000 }]);
    expect(Math.max(...src.reads)).toBe(10_000);
  });

  it('pauses for the event loop every so many reads, and sooner when reads are slow', async () => {
    // 40 files of 1 row: 40 reads, plus one to see the end.
    const rows = rowsOf('A', range(1, 40));
    const pausesWith = async (msPerRead: number) => {
      let clock = 0;
      let pauses = 0;
      const src = source(rows);
      const timed: RidSource = {
        ridsAfter: (...args) => {
          clock += msPerRead;
          return src.ridsAfter(...args);
        },
      };
      const files = await planFiles(timed, ['A'], 100, 1, {
        readsPerPause: 16,
        pauseAfterMs: 10,
        now: () => clock,
        shouldStop: () => (pauses++, false),
      });
      expect(files).toHaveLength(40);
      return pauses;
    };
    expect(await pausesWith(0)).toBe(2); // reads 16 and 32
    expect(await pausesWith(1)).toBe(4); // reads 11, 16, 26 and 32
    expect(await pausesWith(5)).toBe(20); // every other read
  });
});
