// What a resource module gets to work with. Every patient's random stream is seeded from the
// dataset seed and the patient's index, so a patient's records do not depend on how many came
// before it, and the whole population is byte-identical for the same seed and size.
import type { Faker, Randomizer } from '@faker-js/faker';
import type { Resource } from '../src/fhir/r4.js';
import type { DatasetParams } from '../src/config.js';
import type { ExportableType } from '../src/fhir/resource-types.js';
import type { Directory, Staff, Clinic } from './directory.js';
import type { PatientStory, Visit } from './story/patient-story.js';
import type { PanelKey } from './codes/observations.js';

export interface GeneratedResource {
  type: ExportableType;
  id: string;
  /** The patient whose compartment holds it; null for shared resources (practitioners, clinics). */
  patientId: string | null;
  lastUpdated: string;
  resource: Resource;
}

export interface PopulationContext {
  params: DatasetParams;
  /** The population's "today" (midnight UTC): nothing happens at or after it. */
  referenceMs: number;
  directory: Directory;
}

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

export interface PatientContext {
  rng: Rng;
  /** en_CA names and words; `frenchFaker` for the patients with French names. */
  faker: Faker;
  frenchFaker: Faker;
  population: PopulationContext;
  index: number;
  patientId: string;
  clinic: Clinic;
  /** The family physician the patient is rostered to. */
  physician: Staff;
  story: PatientStory;
  /** Lab panels resulted (filled by the observation module, read by the report module). */
  labReports: LabReport[];
  /** What was measured at each visit, as note lines (by visit id). */
  findings: Map<string, string[]>;
}

export interface LabReport {
  id: string;
  panel: PanelKey;
  visit: Visit;
  observationIds: string[];
  collectedMs: number;
  issuedMs: number;
  /** Results outside the reference range, as note text. */
  abnormal: string[];
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const YEAR_MS = 365.25 * DAY_MS;

// Formatting dates is a hot path (every resource has several): days are formatted once and
// cached, times of day are assembled from a table.
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const dayStrings = new Map<number, string>();

export function isoDate(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let s = dayStrings.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayStrings.set(day, s);
  }
  return s;
}

/** A FHIR instant to the second, in UTC. */
export function isoInstant(ms: number): string {
  const seconds = Math.floor((ms - Math.floor(ms / DAY_MS) * DAY_MS) / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${isoDate(ms)}T${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[seconds % 60]}Z`;
}

export function ageInYears(birthMs: number, atMs: number): number {
  const birth = new Date(birthMs);
  const at = new Date(atMs);
  let age = at.getUTCFullYear() - birth.getUTCFullYear();
  const m = at.getUTCMonth() - birth.getUTCMonth();
  if (m < 0 || (m === 0 && at.getUTCDate() < birth.getUTCDate())) age--;
  return age;
}

export const ref = (type: ExportableType, id: string) => ({ reference: `${type}/${id}` });

/**
 * Wraps a resource body as a stored record. `lastUpdatedMs` is when the record last changed;
 * it is kept before the reference date, since nothing in the data set happens after it.
 */
export function emit<T extends Resource>(
  population: PopulationContext,
  type: ExportableType,
  id: string,
  patientId: string | null,
  lastUpdatedMs: number,
  body: Omit<T, 'resourceType' | 'id' | 'meta'>,
): GeneratedResource {
  const lastUpdated = isoInstant(Math.min(lastUpdatedMs, population.referenceMs - 1000));
  const resource = { resourceType: type, id, meta: { lastUpdated }, ...body } as unknown as Resource;
  return { type, id, patientId, lastUpdated, resource };
}

/** A quantity in UCUM. */
export const quantity = (value: number, code: string, unit: string = code) => ({
  value,
  unit,
  system: 'http://unitsofmeasure.org',
  code,
});
