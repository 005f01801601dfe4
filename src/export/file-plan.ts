// Splits an export into files: for each requested type, consecutive runs of at most
// `maxPerFile` rows in rid order, every file but the last of a type full, no empty file.
// A file is kept as a rid range, so a download is one range scan and the plan costs one
// index read per file, whatever the data size.
import { setImmediate as nextTick } from 'node:timers/promises';
import type { SqlCondition } from './type-filter.js';

export interface PlannedFile {
  type: string;
  ridFrom: number;
  ridTo: number;
  count: number;
}

export interface RidSource {
  /** Up to `limit` rids of `type` after `afterRid`, up to `toRid` inclusive (and matching `where`), ascending. */
  ridsAfter(type: string, afterRid: number, toRid: number, limit: number, where?: SqlCondition): number[];
}

export interface PlanOptions {
  /** Called after each type with how many types are done. */
  onTypeDone?: (done: number) => void;
  /** Checked between reads; returning true abandons the plan (e.g. the job was cancelled). */
  shouldStop?: () => boolean;
  /** Index reads between pauses for the event loop. */
  readsPerPause?: number;
  /**
   * Also pause once this long has passed since the last pause: a filtered read evaluates its
   * condition on every row it passes, so a few reads can take what many index reads take.
   */
  pauseAfterMs?: number;
  /** The time source for `pauseAfterMs` (ms). */
  now?: () => number;
  /** The rows of a type the export selects (standard-profile filters); undefined = all. */
  where?: (type: string) => SqlCondition | undefined;
}

/** Most rids read at once, so a very large file size does not mean a very large read. */
const READ_LIMIT = 10_000;

export class PlanAbandoned extends Error {}

export async function planFiles(
  source: RidSource,
  types: readonly string[],
  watermark: number,
  maxPerFile: number,
  options: PlanOptions = {},
): Promise<PlannedFile[]> {
  const files: PlannedFile[] = [];
  const readsPerPause = options.readsPerPause ?? 64;
  const pauseAfterMs = options.pauseAfterMs ?? 10;
  const now = options.now ?? (() => performance.now());
  let reads = 0;
  let lastPause = now();
  for (const [i, type] of types.entries()) {
    let after = 0;
    let current: PlannedFile | undefined;
    const where = options.where?.(type);
    for (;;) {
      if (++reads % readsPerPause === 0 || now() - lastPause >= pauseAfterMs) {
        await nextTick();
        lastPause = now();
        if (options.shouldStop?.()) throw new PlanAbandoned();
      }
      const room = current ? maxPerFile - current.count : maxPerFile;
      const rids = source.ridsAfter(type, after, watermark, Math.min(room, READ_LIMIT), where);
      if (rids.length === 0) break;
      const last = rids[rids.length - 1]!;
      if (current) {
        current.ridTo = last;
        current.count += rids.length;
      } else {
        current = { type, ridFrom: rids[0]!, ridTo: last, count: rids.length };
        files.push(current);
      }
      if (current.count === maxPerFile) current = undefined;
      after = last;
      if (rids.length < Math.min(room, READ_LIMIT)) break;
    }
    options.onTypeDone?.(i + 1);
  }
  return files;
}
