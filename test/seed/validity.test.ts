// Every generated resource is valid FHIR R4 (two maintained validators from npm), every
// reference resolves within the data set, and every code comes from the curated code table.
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORTABLE_TYPES } from '../../src/fhir/resource-types.js';
import { CODE_TABLE } from '../../seed/codes/code-table.js';
import { SYSTEMS } from '../../seed/codes/systems.js';
import { validateR4 } from '../../seed/validation/fhir-validator.js';
import { codingsIn, generate, referencesIn, type Population } from './population.js';

let population: Population;
beforeAll(() => {
  population = generate({ patients: 200, seed: 11, referenceDate: '2026-01-01' });
});

describe('a generated population (200 patients)', () => {
  it('is entirely valid FHIR R4', () => {
    const invalid: string[] = [];
    for (const r of population.all) {
      // Validate what is stored: the JSON text, parsed back.
      const issues = validateR4(JSON.parse(JSON.stringify(r.resource)));
      if (issues.length > 0) invalid.push(`${r.type}/${r.id}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
    }
    expect(invalid.slice(0, 10)).toEqual([]);
    expect(invalid).toHaveLength(0);
  }, 180_000);

  it('has no dangling reference and no urn:uuid reference', () => {
    const dangling: string[] = [];
    let count = 0;
    for (const r of population.all) {
      for (const ref of referencesIn(r.resource)) {
        count++;
        if (!population.byKey.has(ref)) dangling.push(`${r.type}/${r.id} -> ${ref}`);
      }
    }
    expect(count).toBeGreaterThan(population.all.length);
    expect(dangling).toEqual([]);
  });

  it('holds every exportable type, and only those', () => {
    expect([...population.byType.keys()].sort()).toEqual([...EXPORTABLE_TYPES].sort());
  });

  it('uses unique ids per type, all UUIDs', () => {
    expect(population.byKey.size).toBe(population.all.length);
    for (const r of population.all) expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('emits only codes from the code table, each with its display', () => {
    const unknown = new Set<string>();
    for (const r of population.all) {
      for (const c of codingsIn(r.resource)) {
        if (c.system === SYSTEMS.ucum) continue;
        const entry = CODE_TABLE.get(`${c.system}|${c.code}`);
        if (!entry || entry.display !== c.display) unknown.add(`${c.system}|${c.code}|${c.display}`);
      }
    }
    expect([...unknown]).toEqual([]);
  });

  it('types Quantities in UCUM', () => {
    const units = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') {
        const q = v as Record<string, unknown>;
        if (typeof q.value === 'number' && 'code' in q) {
          expect(q.system).toBe(SYSTEMS.ucum);
          units.add(String(q.code));
        } else Object.values(q).forEach(walk);
      }
    };
    population.all.forEach((r) => walk(r.resource));
    expect([...units].sort()).toEqual(
      [
        '%', '/min', '10*9/L', 'Cel', '{capsule}', '{inhaler}', '{puff}', '{tbl}', 'a', 'cm', 'd', 'g/L', 'kg', 'kg/m2',
        'm[IU]/L', 'mL', 'mL/min/{1.73_m2}', 'min', 'mm[Hg]', 'mmol/L', 'umol/L',
      ].sort(),
    );
  });
});
