import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM_LEVEL, selectionSql, type ExportSelection } from '../../src/export/selection.js';
import { parseTypeFilter } from '../../src/export/type-filter.js';
import { resourceTable, type Row } from './resource-table.js';

const at = (day: string) => `${day}T12:00:00.000Z`;

// Three patients, their records on different days, and records in no compartment.
const rows: Row[] = [
  { type: 'Patient', id: 'p1', patientId: 'p1', lastUpdated: at('2025-01-01') },
  { type: 'Patient', id: 'p2', patientId: 'p2', lastUpdated: at('2025-01-02') },
  { type: 'Patient', id: 'p3', patientId: 'p3', lastUpdated: at('2025-01-03') },
  { type: 'Observation', id: 'o1', patientId: 'p1', lastUpdated: at('2025-01-01'), body: { status: 'final' } },
  { type: 'Observation', id: 'o2', patientId: 'p2', lastUpdated: at('2025-01-02'), body: { status: 'amended' } },
  { type: 'Observation', id: 'o3', patientId: 'p3', lastUpdated: at('2025-01-03'), body: { status: 'final' } },
  { type: 'Observation', id: 'o4', patientId: 'p1', lastUpdated: at('2025-01-04'), body: { status: 'final' } },
  // Stored with another spelling of the same kind of instant: compared as instants, not as text.
  { type: 'Observation', id: 'o5', patientId: 'p2', lastUpdated: '2025-01-05T01:00:00+02:00', body: { status: 'final' } },
  { type: 'Practitioner', id: 'pr1', lastUpdated: at('2025-01-01') },
  { type: 'Practitioner', id: 'pr2', lastUpdated: at('2025-01-04') },
];
const table = resourceTable(rows, { g1: ['p1', 'p3'], g2: ['p2'], empty: [] });
afterAll(() => table.close());

const select = (selection: ExportSelection | undefined, type: string) => table.ids(type, selectionSql(selection, type));
const statusFilter = (query: string) => [parseTypeFilter(`Observation?${query}`, (t) => t === 'Observation')];

describe('selectionSql', () => {
  it('selects everything at system level with nothing else asked', () => {
    expect(selectionSql(undefined, 'Observation')).toBeUndefined();
    expect(selectionSql(SYSTEM_LEVEL, 'Observation')).toBeUndefined();
    expect(SYSTEM_LEVEL).toEqual({ level: 'system' });
    // `_elements` shapes the lines, not which rows are selected.
    expect(selectionSql({ level: 'system', elements: ['status'] }, 'Observation')).toBeUndefined();
  });

  it('patient level: only rows in a patient compartment', () => {
    expect(selectionSql({ level: 'patient' }, 'Observation')).toEqual({ sql: 'patient_id IS NOT NULL', args: [] });
    expect(select({ level: 'patient' }, 'Observation')).toEqual(['o1', 'o2', 'o3', 'o4', 'o5']);
    expect(select({ level: 'patient' }, 'Patient')).toEqual(['p1', 'p2', 'p3']);
    expect(select({ level: 'patient' }, 'Practitioner')).toEqual([]);
    expect(select({ level: 'system' }, 'Practitioner')).toEqual(['pr1', 'pr2']);
  });

  it("group level: only the members' rows", () => {
    expect(selectionSql({ level: 'group', groupId: 'g1' }, 'Observation')).toEqual({
      sql: 'patient_id IN (SELECT patient_id FROM group_member WHERE group_id = ?)',
      args: ['g1'],
    });
    expect(select({ level: 'group', groupId: 'g1' }, 'Observation')).toEqual(['o1', 'o3', 'o4']);
    expect(select({ level: 'group', groupId: 'g1' }, 'Patient')).toEqual(['p1', 'p3']);
    expect(select({ level: 'group', groupId: 'g2' }, 'Observation')).toEqual(['o2', 'o5']);
    expect(select({ level: 'group', groupId: 'g1' }, 'Practitioner')).toEqual([]);
    expect(select({ level: 'group', groupId: 'empty' }, 'Patient')).toEqual([]);
  });

  it('patient: only the named patients, bound as one JSON argument', () => {
    expect(selectionSql({ level: 'patient', patients: ['p1', "o'brien"] }, 'Observation')).toEqual({
      sql: 'patient_id IS NOT NULL AND patient_id IN (SELECT value FROM json_each(?))',
      args: ['["p1","o\'brien"]'],
    });
    expect(select({ level: 'patient', patients: ['p1', 'p3'] }, 'Observation')).toEqual(['o1', 'o3', 'o4']);
    expect(select({ level: 'patient', patients: ['p2'] }, 'Patient')).toEqual(['p2']);
    expect(select({ level: 'patient', patients: ['nobody'] }, 'Observation')).toEqual([]);
    // Within a Group, a named patient narrows it further.
    expect(select({ level: 'group', groupId: 'g1', patients: ['p3'] }, 'Observation')).toEqual(['o3']);
    expect(select({ level: 'group', groupId: 'g1', patients: ['p2'] }, 'Observation')).toEqual([]);
  });

  it('_since and _until bound meta.lastUpdated, both inclusive', () => {
    expect(selectionSql({ level: 'system', since: '2025-01-02T12:00:00.000Z' }, 'Observation')).toEqual({
      sql: 'julianday(last_updated) >= julianday(?)',
      args: ['2025-01-02T12:00:00.000Z'],
    });
    expect(selectionSql({ level: 'system', until: '2025-01-02T12:00:00.000Z' }, 'Observation')).toEqual({
      sql: 'julianday(last_updated) <= julianday(?)',
      args: ['2025-01-02T12:00:00.000Z'],
    });
    expect(select({ level: 'system', since: at('2025-01-02') }, 'Observation')).toEqual(['o2', 'o3', 'o4', 'o5']);
    expect(select({ level: 'system', since: '2025-01-02T12:00:00.001Z' }, 'Observation')).toEqual(['o3', 'o4', 'o5']);
    expect(select({ level: 'system', until: at('2025-01-02') }, 'Observation')).toEqual(['o1', 'o2']);
    expect(select({ level: 'system', since: at('2025-01-02'), until: at('2025-01-03') }, 'Observation')).toEqual(['o2', 'o3']);
    expect(select({ level: 'system', since: at('2025-01-02'), until: at('2025-01-03') }, 'Practitioner')).toEqual([]);
  });

  it('compares instants whatever their offset', () => {
    // o5 was last updated at 2025-01-04T23:00:00Z.
    expect(select({ level: 'system', since: '2025-01-04T23:00:00Z' }, 'Observation')).toEqual(['o5']);
    expect(select({ level: 'system', since: '2025-01-05T00:00:00+01:00' }, 'Observation')).toEqual(['o5']);
    expect(select({ level: 'system', until: '2025-01-04T22:59:59Z' }, 'Observation')).toEqual(['o1', 'o2', 'o3', 'o4']);
  });

  it("applies _typeFilter to its own type only", () => {
    const selection: ExportSelection = { level: 'system', typeFilters: statusFilter('status=final') };
    expect(selectionSql(selection, 'Observation')).toEqual({ sql: '(((json_extract(resource.json, ?) = ?)))', args: ['$.status', 'final'] });
    expect(selectionSql(selection, 'Patient')).toBeUndefined();
    expect(select(selection, 'Observation')).toEqual(['o1', 'o3', 'o4', 'o5']);
    expect(select(selection, 'Patient')).toEqual(['p1', 'p2', 'p3']);
  });

  it('joins every restriction with AND, its arguments in the same order', () => {
    const selection: ExportSelection = {
      level: 'group',
      groupId: 'g1',
      patients: ['p1', 'p3'],
      since: at('2025-01-01'),
      until: at('2025-01-03'),
      typeFilters: statusFilter('status=final'),
    };
    expect(selectionSql(selection, 'Observation')).toEqual({
      sql: [
        'patient_id IN (SELECT patient_id FROM group_member WHERE group_id = ?)',
        'patient_id IN (SELECT value FROM json_each(?))',
        'julianday(last_updated) >= julianday(?)',
        'julianday(last_updated) <= julianday(?)',
        '(((json_extract(resource.json, ?) = ?)))',
      ].join(' AND '),
      args: ['g1', '["p1","p3"]', at('2025-01-01'), at('2025-01-03'), '$.status', 'final'],
    });
    expect(select(selection, 'Observation')).toEqual(['o1', 'o3']);
    expect(select({ ...selection, patients: ['p1'] }, 'Observation')).toEqual(['o1']);
    expect(select({ ...selection, until: at('2025-01-04') }, 'Observation')).toEqual(['o1', 'o3', 'o4']);
    expect(select({ ...selection, typeFilters: statusFilter('status=amended') }, 'Observation')).toEqual([]);
    expect(select(selection, 'Patient')).toEqual(['p1', 'p3']);
  });
});
