// Random draws for the generator. Every patient's random stream is seeded from the dataset seed
// and the patient's index, so a patient's records do not depend on how many came before it,
// and the whole population is byte-identical for the same seed and size.
import type { Randomizer } from '@faker-js/faker';

/** Random draws from a seeded stream; thin and fast, since millions are made per run. */
export class Rng {
  constructor(private readonly randomizer: Randomizer) {}

  /** Uniform in [0, 1). */
  next(): number {
    return this.randomizer.next();
  }

  chance(p: number): boolean {
    return this.randomizer.next() < p;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.randomizer.next() * (max - min + 1));
  }

  /** Float in [min, max), rounded to `digits` decimals. */
  float(min: number, max: number, digits: number): number {
    const f = 10 ** digits;
    return Math.round((min + this.randomizer.next() * (max - min)) * f) / f;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.randomizer.next() * items.length)]!;
  }

  /** Picks a key by relative weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = this.randomizer.next() * total;
    for (const [k, w] of entries) {
      r -= w;
      if (r < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }

  /** A random (version 4 layout) UUID drawn from this stream. */
  uuid(): string {
    const r = this.randomizer;
    const a = Math.floor(r.next() * 4294967296);
    const b = Math.floor(r.next() * 4294967296);
    const c = Math.floor(r.next() * 4294967296);
    const d = Math.floor(r.next() * 4294967296);
    return (
      HEX[a >>> 24]! + HEX[(a >>> 16) & 255]! + HEX[(a >>> 8) & 255]! + HEX[a & 255]! + '-' +
      HEX[b >>> 24]! + HEX[(b >>> 16) & 255]! + '-' +
      HEX[((b >>> 8) & 15) | 64]! + HEX[b & 255]! + '-' +
      HEX[((c >>> 24) & 63) | 128]! + HEX[(c >>> 16) & 255]! + '-' +
      HEX[(c >>> 8) & 255]! + HEX[c & 255]! +
      HEX[d >>> 24]! + HEX[(d >>> 16) & 255]! + HEX[(d >>> 8) & 255]! + HEX[d & 255]!
    );
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
