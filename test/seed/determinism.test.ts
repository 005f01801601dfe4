// Same seed and size give byte-identical exports on any machine: pinned by a hash.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DatasetParams } from '../../src/config.js';
import { openDatabase } from '../../src/store/database.js';
import { seedInto } from '../../seed/seed-database.js';
import { generatePopulation } from '../../seed/generator.js';
import { dumpByType } from './export-dump.js';

async function exportHash(params: DatasetParams): Promise<string> {
  const db = openDatabase(':memory:');
  try {
    await seedInto(db, params);
    const hash = createHash('sha256');
    for (const [type, lines] of dumpByType(db)) hash.update(`${type}\n${lines.join('\n')}\n`);
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

describe('determinism', () => {
  const params: DatasetParams = { patients: 40, seed: 7, referenceDate: '2026-01-01' };

  it('pins the export of 40 patients, seed 7, reference date 2026-01-01', async () => {
    expect(await exportHash(params)).toBe('d4da8d7ad6dfb6ac1636e2a7f97a528a2aaec2ffc8e5cb6c9150f1ecc92921ae');
  });

  it('changes with the seed and with the reference date', async () => {
    const base = await exportHash(params);
    expect(await exportHash({ ...params, seed: 8 })).not.toBe(base);
    expect(await exportHash({ ...params, referenceDate: '2025-06-30' })).not.toBe(base);
  });

  it("draws each patient from the patient's own stream: a patient's records do not depend on the ones before", () => {
    const small = [...generatePopulation({ ...params, patients: 3 })].filter((r) => r.patientId !== null);
    const large = [...generatePopulation({ ...params, patients: 5 })].filter((r) => r.patientId !== null);
    const firstOf = (list: typeof small) => list.filter((r) => r.patientId === list[0]!.patientId).map((r) => JSON.stringify(r.resource));
    expect(firstOf(large)).toEqual(firstOf(small));
  });
});
