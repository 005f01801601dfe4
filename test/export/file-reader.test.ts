// A file's reader: the export's selection as SQL, `_elements` applied to each line, pages read
// straight from the store otherwise.
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { fileBody, pageReader, selectionOf, type RowSource } from '../../src/export/file-reader.js';
import { selectionSql, type ExportSelection } from '../../src/export/selection.js';
import type { SqlCondition } from '../../src/export/type-filter.js';
import type { JobFile } from '../../src/store/job-repository.js';

const rows: [number, string][] = [
  [3, JSON.stringify({ resourceType: 'Patient', id: 'a', meta: { lastUpdated: 'x' }, gender: 'female', birthDate: '1990' })],
  [7, JSON.stringify({ resourceType: 'Patient', id: 'b', meta: { lastUpdated: 'y' }, gender: 'male', birthDate: '1991' })],
];

/** A store of two Patient rows that records what it was asked. */
function fakeStore() {
  const calls: { read: string; after: number; to: number; limit: number; where?: SqlCondition }[] = [];
  const pick = (after: number, to: number, limit: number) => rows.filter(([rid]) => rid > after && rid <= to).slice(0, limit);
  const store: RowSource = {
    ridsAfter: (_type, after, to, limit, where) => (calls.push({ read: 'rids', after, to, limit, where }), pick(after, to, limit).map(([rid]) => rid)),
    jsonAfter: (_type, after, to, limit, where) => (calls.push({ read: 'json', after, to, limit, where }), pick(after, to, limit)),
    ndjsonAfter: (_type, after, to, limit, where) => {
      calls.push({ read: 'ndjson', after, to, limit, where });
      const page = pick(after, to, limit);
      return page.length === 0 ? undefined : { lastRid: page.at(-1)![0], count: page.length, ndjson: Buffer.from(page.map(([, j]) => `${j}\n`).join('')) };
    },
  };
  return { store, calls };
}

const patientLevel: ExportSelection = { level: 'patient', since: '2020-01-01T00:00:00Z' };

describe('the rows an export selects', () => {
  it('is the selection as SQL per type, or nothing for a plain export', () => {
    expect(selectionOf(undefined)('Patient')).toBeUndefined();
    expect(selectionOf(patientLevel)('Patient')).toEqual(selectionSql(patientLevel, 'Patient'));
  });
});

describe('pageReader', () => {
  it('without _elements: pages straight from the store, filtered by the selection', () => {
    const { store, calls } = fakeStore();
    const read = pageReader(store, patientLevel, 'Patient', 7);
    expect(read(0, 64)).toEqual({ lastRid: 7, count: 2, ndjson: Buffer.from(`${rows[0]![1]}\n${rows[1]![1]}\n`) });
    expect(calls).toEqual([{ read: 'ndjson', after: 0, to: 7, limit: 64, where: selectionSql(patientLevel, 'Patient') }]);
  });

  it('with _elements: each line keeps the elements asked for, plus the mandatory ones, tagged SUBSETTED', () => {
    const { store, calls } = fakeStore();
    const read = pageReader(store, { level: 'system', elements: ['gender'] }, 'Patient', 3);
    const page = read(0, 64)!;
    expect(page).toMatchObject({ lastRid: 3, count: 1 });
    const line = JSON.parse(page.ndjson.toString()) as Record<string, unknown>;
    expect(Object.keys(line).sort()).toEqual(['gender', 'id', 'meta', 'resourceType']);
    expect((line.meta as { tag: { code: string }[] }).tag[0]!.code).toBe('SUBSETTED');
    expect(calls.map((c) => c.read)).toEqual(['json']);
    expect(read(3, 64)).toBeUndefined();
  });
});

describe('fileBody', () => {
  const file: JobFile = { id: 'f', jobId: 'j', kind: 'output', seq: 0, type: 'Patient', ridFrom: 3, ridTo: 7, count: 2, content: null };

  it("streams an output file's rid range", async () => {
    const { store } = fakeStore();
    expect(await text(fileBody(store, undefined, file))).toBe(`${rows[0]![1]}\n${rows[1]![1]}\n`);
  });

  it("sends an error file's inline content without reading the store", async () => {
    const { store, calls } = fakeStore();
    const errors = { ...file, kind: 'error' as const, type: 'OperationOutcome', ridFrom: null, ridTo: null, count: 1, content: '{"a":1}\n' };
    expect(await text(fileBody(store, undefined, errors))).toBe('{"a":1}\n');
    expect(calls).toEqual([]);
  });
});
