// What a client downloads, not what the generator made: an export of every type from a seeded
// database, fetched through the API, is valid FHIR R4 with every reference resolving inside
// it, and byte for byte the export the determinism test pins.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import { validateR4 } from '../../seed/validation/fhir-validator.js';
import { buildTestApp, download, getToken, parseNdjson, runExport, seededDatabaseCopy, type TestApp } from '../helper.js';
import { referencesIn } from './population.js';

/** The determinism test's population and its pinned hash (test/seed/determinism.test.ts). */
const PARAMS = { patients: 40, seed: 7, referenceDate: '2026-01-01' };
const PINNED = 'd4da8d7ad6dfb6ac1636e2a7f97a528a2aaec2ffc8e5cb6c9150f1ecc92921ae';

let t: TestApp;
/** Each type's downloaded NDJSON lines, in manifest order. */
const linesByType = new Map<string, string[]>();

beforeAll(async () => {
  t = await buildTestApp({
    DATABASE_PATH: await seededDatabaseCopy(PARAMS),
    DATASET_PATIENTS: String(PARAMS.patients),
    DATASET_SEED: String(PARAMS.seed),
    DATASET_REFERENCE_DATE: PARAMS.referenceDate,
  });
  const token = await getToken(t.app);
  const manifest = await runExport(t, '', token);
  for (const entry of manifest.output) {
    const res = await download(t.app, entry.url, token);
    expect(res.statusCode).toBe(200);
    const lines = res.body.slice(0, -1).split('\n');
    expect(parseNdjson(res.body)).toHaveLength(entry.count);
    linesByType.set(entry.type, [...(linesByType.get(entry.type) ?? []), ...lines]);
  }
}, 120_000);
afterAll(async () => {
  await t.app.close();
});

describe('an export of every type, as downloaded', () => {
  it('holds every exportable type', () => {
    expect([...linesByType.keys()].sort()).toEqual([...EXPORTABLE_TYPES].sort());
  });

  it('is valid FHIR R4, every resource of it', () => {
    const invalid: string[] = [];
    let checked = 0;
    for (const [type, lines] of linesByType) {
      for (const line of lines) {
        const resource = JSON.parse(line) as { resourceType: string; id: string };
        expect(resource.resourceType).toBe(type);
        const issues = validateR4(resource);
        checked++;
        if (issues.length > 0) invalid.push(`${type}/${resource.id}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
      }
    }
    expect(checked).toBeGreaterThan(PARAMS.patients * 50);
    expect(invalid.slice(0, 10)).toEqual([]);
  }, 120_000);

  it('has no dangling reference: every one resolves to a resource in the export', () => {
    const keys = new Set<string>();
    const resources = [...linesByType.values()].flat().map((line) => JSON.parse(line) as { resourceType: string; id: string });
    for (const r of resources) keys.add(`${r.resourceType}/${r.id}`);
    const dangling = resources.flatMap((r) => referencesIn(r).filter((ref) => !keys.has(ref)).map((ref) => `${r.resourceType}/${r.id} -> ${ref}`));
    expect(dangling).toEqual([]);
  });

  it('is the export the determinism test pins, byte for byte', () => {
    const hash = createHash('sha256');
    for (const type of EXPORTABLE_TYPES) {
      const lines = linesByType.get(type);
      if (lines) hash.update(`${type}\n${lines.join('\n')}\n`);
    }
    expect(hash.digest('hex')).toBe(PINNED);
  });
});
