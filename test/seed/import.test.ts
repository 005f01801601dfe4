// `npm run seed -- --import DIR`: a team's NDJSON files become a database; invalid resources
// and dangling references are rejected with a report naming file, line and reason.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { assertDatasetMatches, openDatabase, readDatasetMeta, type Db } from '../../src/store/database.js';
import { createGroupRepository } from '../../src/store/group-repository.js';
import { createImportedDatabase, ndjsonFiles, type ImportProblem } from '../../seed/import-ndjson.js';
import { createSeededDatabase } from '../../seed/seed-database.js';
import { scratchFolder } from '../scratch.js';
import { dumpByType } from './export-dump.js';

const scratch = scratchFolder('import');
const params = { patients: 12, seed: 3, referenceDate: '2026-01-01' };
let exported: Map<string, string[]>;
let generatedGroups: ReturnType<typeof groupsOf>;
let generatedGroupIds: Set<string>;

interface GroupResource {
  id: string;
  meta: { lastUpdated: string };
  identifier: unknown;
  name: string;
  quantity: number;
  member: { entity: { reference: string } }[];
}
const groupResources = (db: Db): GroupResource[] => createGroupRepository(db).all().map((json) => JSON.parse(json) as GroupResource);
/** What a Group says, without its id and time. */
const groupsOf = (db: Db) => groupResources(db).map(({ identifier, name, quantity, member }) => ({ identifier, name, quantity, member }));

beforeAll(async () => {
  const path = join(scratch, 'generated.db');
  await createSeededDatabase(path, params);
  const db = openDatabase(path);
  exported = dumpByType(db);
  generatedGroups = groupsOf(db);
  generatedGroupIds = new Set(groupResources(db).map((g) => g.id));
  db.close();
});

function writeFolder(name: string, files: Record<string, string[]>): string {
  const dir = join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, lines] of Object.entries(files)) writeFileSync(join(dir, file), lines.map((l) => `${l}\n`).join(''));
  return dir;
}

const options = (problems: ImportProblem[]) => ({ defaultLastUpdated: '2026-01-01T00:00:00Z', onProblem: (p: ImportProblem) => problems.push(p) });

describe('importing NDJSON files', () => {
  it('rebuilds an exported data set exactly, and serves it without DATASET_* checks', async () => {
    const dir = writeFolder('roundtrip', Object.fromEntries([...exported].map(([type, lines]) => [`${type}.ndjson`, lines])));
    const problems: ImportProblem[] = [];
    const path = join(scratch, 'roundtrip.db');
    const result = await createImportedDatabase(path, dir, options(problems));
    expect(problems).toEqual([]);
    expect(result.accepted).toEqual(Object.fromEntries([...exported].map(([t, l]) => [t, l.length])));
    const db = openDatabase(path);
    try {
      expect(dumpByType(db)).toEqual(exported);
      // The Groups are derived again: the same cohorts, members and names; new ids.
      expect(result.groups).toBeGreaterThan(0);
      expect(groupsOf(db)).toEqual(generatedGroups);
      const imported = groupResources(db);
      expect(imported).toHaveLength(result.groups);
      for (const group of imported) {
        expect(group.meta.lastUpdated).toBe(options([]).defaultLastUpdated);
        expect(generatedGroupIds.has(group.id)).toBe(false);
        // Each member is in the table a Group-level export reads.
        const members = group.member.map((m) => m.entity.reference.slice('Patient/'.length));
        expect(createGroupRepository(db).outsiders(members, group.id)).toEqual([]);
      }
      expect(readDatasetMeta(db)).toMatchObject({ source: 'import', files: [...exported.keys()].map((t) => `${t}.ndjson`).sort() });
      expect(() => assertDatasetMatches(db, path, { patients: 999, seed: 999, referenceDate: '2020-01-01' })).not.toThrow();
    } finally {
      db.close();
    }
  }, 60_000);

  it('still refuses a generated database made with other settings', async () => {
    const path = join(scratch, 'generated.db');
    const db = openDatabase(path);
    try {
      expect(() => assertDatasetMatches(db, path, { ...params, seed: 4 })).toThrow(ConfigError);
    } finally {
      db.close();
    }
  });

  it('rejects invalid, unsupported, duplicate and dangling resources, and what then dangles', async () => {
    const patient = JSON.parse(exported.get('Patient')![0]!) as { id: string };
    const practitioners = exported.get('Practitioner')!;
    const organizations = exported.get('Organization')!;
    const condition = (id: string, subject: string, clinicalStatus = 'active') =>
      JSON.stringify({
        resourceType: 'Condition',
        id,
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: clinicalStatus }] },
        code: { text: 'Hypertension' },
        subject: { reference: subject },
      });
    // A procedure that points at a condition that is itself rejected: it dangles in turn.
    const procedure = JSON.stringify({
      resourceType: 'Procedure',
      id: 'proc-1',
      status: 'completed',
      code: { text: 'ECG' },
      subject: { reference: `Patient/${patient.id}` },
      reasonReference: [{ reference: 'Condition/c-dangling' }],
    });
    const dir = writeFolder('broken', {
      'Patient.ndjson': [exported.get('Patient')![0]!],
      'Practitioner.ndjson': practitioners,
      'Organization.ndjson': organizations,
      'Condition.ndjson': [
        condition('c-good', `Patient/${patient.id}`),
        condition('c-bad-status', `Patient/${patient.id}`, 'sleeping'),
        condition('c-dangling', 'Patient/nobody'),
        condition('c-urn', 'urn:uuid:6c2f3a52-0a52-4e8e-9c84-0f9d0c1f1c11'),
        condition('c-good', `Patient/${patient.id}`),
        '{"resourceType":',
        JSON.stringify({ resourceType: 'Basic', id: 'b1', code: { text: 'x' } }),
        JSON.stringify({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' } }),
      ],
      'Procedure.ndjson': [procedure],
      'notes.txt': ['ignored: not .ndjson'],
    });
    expect(ndjsonFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual([
      'Condition.ndjson',
      'Organization.ndjson',
      'Patient.ndjson',
      'Practitioner.ndjson',
      'Procedure.ndjson',
    ]);
    const problems: ImportProblem[] = [];
    const result = await createImportedDatabase(join(scratch, 'broken.db'), dir, options(problems));
    expect(problems.map((p) => [p.file, p.line, p.kind, p.id])).toEqual([
      ['Condition.ndjson', 2, 'invalid', 'c-bad-status'],
      ['Condition.ndjson', 4, 'dangling-reference', 'c-urn'],
      ['Condition.ndjson', 5, 'duplicate', 'c-good'],
      ['Condition.ndjson', 6, 'unreadable', undefined],
      ['Condition.ndjson', 7, 'unsupported-type', 'b1'],
      ['Condition.ndjson', 8, 'mixed-types', 'o1'],
      ['Condition.ndjson', 3, 'dangling-reference', 'c-dangling'],
      ['Procedure.ndjson', 1, 'dangling-reference', 'proc-1'],
    ]);
    expect(problems[0]!.reason).toContain('Code "sleeping"');
    expect(problems[6]!.reason).toBe('reference "Patient/nobody" does not resolve to a resource in the data set');
    expect(problems[7]!.reason).toBe('reference "Condition/c-dangling" does not resolve to a resource in the data set');
    expect(result.accepted).toEqual({ Condition: 1, Organization: organizations.length, Patient: 1, Practitioner: practitioners.length });
    expect(result.rejected).toEqual({
      unreadable: 1,
      invalid: 1,
      'unsupported-type': 1,
      'mixed-types': 1,
      duplicate: 1,
      'dangling-reference': 3,
    });
  }, 60_000);

  it('says so when the folder has no NDJSON files', () => {
    const dir = writeFolder('empty', { 'readme.txt': ['nothing'] });
    expect(() => ndjsonFiles(dir)).toThrow(`${dir} holds no .ndjson files`);
    expect(() => ndjsonFiles(join(scratch, 'absent'))).toThrow('is not a folder');
  });
});
