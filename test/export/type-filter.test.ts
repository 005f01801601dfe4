import { afterAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../src/errors.js';
import { TYPE_FILTER_PARAMS, parseTypeFilter, typeFilterQueries, typeFiltersSql } from '../../src/export/type-filter.js';
import { resourceTable, type Row } from './resource-table.js';

const EXPORTED = new Set(['Observation', 'Condition', 'MedicationRequest', 'Encounter', 'Patient', 'Procedure']);
const isType = (t: string) => EXPORTED.has(t);

const CAT = 'http://terminology.hl7.org/CodeSystem/observation-category';
const OTHER = 'http://example.org/categories';
const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';

const concept = (...codings: { system?: string; code: string }[]) => ({ coding: codings });

const rows: Row[] = [
  {
    type: 'Observation',
    id: 'o1',
    body: {
      status: 'final',
      category: [concept({ system: CAT, code: 'laboratory' })],
      code: concept({ system: LOINC, code: '2345-7' }),
      effectiveDateTime: '2024-12-31T23:30:00Z',
    },
  },
  {
    type: 'Observation',
    id: 'o2',
    body: {
      status: 'final',
      category: [concept({ system: CAT, code: 'vital-signs' })],
      code: concept({ system: LOINC, code: '8867-4' }),
      effectiveDateTime: '2025-01-01T00:00:00Z',
    },
  },
  {
    type: 'Observation',
    id: 'o3',
    body: {
      status: 'amended',
      category: [concept({ system: OTHER, code: 'laboratory' }), concept({ system: CAT, code: 'social-history' })],
      code: concept({ code: 'local-1' }),
      // 2024-12-31T23:00:00Z: a date with an offset is compared as the instant it is.
      effectiveDateTime: '2025-01-01T01:00:00+02:00',
    },
  },
  {
    type: 'Observation',
    id: 'o4',
    body: {
      status: 'preliminary',
      category: [concept({ system: CAT, code: 'vital-signs' }, { system: CAT, code: 'laboratory' })],
      code: concept({ system: SNOMED, code: '8867-4' }),
      effectiveDateTime: '2025-02-15T12:00:00.250Z',
    },
  },
  // No category, code or date: no token or date criterion can select it.
  { type: 'Observation', id: 'o5', body: { status: 'cancelled' } },
  {
    type: 'Condition',
    id: 'c1',
    body: { clinicalStatus: concept({ system: CLINICAL, code: 'active' }), category: [concept({ code: 'problem-list-item' })] },
  },
  {
    type: 'Condition',
    id: 'c2',
    body: { clinicalStatus: concept({ system: CLINICAL, code: 'resolved' }), category: [concept({ code: 'encounter-diagnosis' })] },
  },
  { type: 'Encounter', id: 'e1', body: { status: 'finished', period: { start: '2023-06-01T08:00:00Z' } } },
  { type: 'Encounter', id: 'e2', body: { status: 'in-progress', period: { start: '2024-06-01T08:00:00Z' } } },
  { type: 'MedicationRequest', id: 'm1', body: { status: 'active', intent: 'order', authoredOn: '2022-03-04' } },
  { type: 'MedicationRequest', id: 'm2', body: { status: 'stopped', intent: 'plan', authoredOn: '2022-03-05' } },
  { type: 'Patient', id: 'p1', body: { gender: 'female' } },
  { type: 'Patient', id: 'p2', body: { gender: 'male' } },
];

const table = resourceTable(rows);
afterAll(() => table.close());

/** The ids of `type` that the `_typeFilter` items select. */
const select = (type: string, ...items: string[]) =>
  table.ids(type, typeFiltersSql(type, items.map((i) => parseTypeFilter(i, isType))));

/** The diagnostics of the 400 that parsing `item` throws. */
function refusal(item: string): string {
  try {
    parseTypeFilter(item, isType);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    expect(err.statusCode).toBe(400);
    expect(err.outcome.issue).toHaveLength(1);
    expect(err.outcome.issue[0]).toMatchObject({ severity: 'error', code: 'invalid', expression: ['_typeFilter'] });
    return err.outcome.issue[0]!.diagnostics!;
  }
  throw new Error(`expected "${item}" to be refused`);
}

describe('parseTypeFilter', () => {
  it('reads the type and one criterion per parameter, a comma splitting alternatives', () => {
    expect(parseTypeFilter('Observation?category=vital-signs,laboratory&status=final', isType)).toEqual({
      type: 'Observation',
      criteria: [
        { param: 'category', values: ['vital-signs', 'laboratory'] },
        { param: 'status', values: ['final'] },
      ],
    });
  });

  it('keeps a repeated parameter as two criteria, and decodes the query', () => {
    expect(parseTypeFilter('Observation?status=final&status=amended&code=http%3A%2F%2Floinc.org%7C8867-4', isType)).toEqual({
      type: 'Observation',
      criteria: [
        { param: 'status', values: ['final'] },
        { param: 'status', values: ['amended'] },
        { param: 'code', values: ['http://loinc.org|8867-4'] },
      ],
    });
  });

  it.each(['2025', '2025-03', '2025-03-04', '2024-02-29', '2025-03-04T10:00:00Z', '2025-03-04T10:00Z', '2025-03-04T10:00:00.123-05:00', 'ge2025', 'lt2025-03-04T10:00:00Z'])(
    'accepts the date value %s',
    (value) => {
      expect(parseTypeFilter(`Observation?date=${encodeURIComponent(value)}`, isType).criteria).toEqual([{ param: 'date', values: [value] }]);
    },
  );

  it('supports exactly the documented search parameters', () => {
    expect(Object.fromEntries(Object.entries(TYPE_FILTER_PARAMS).map(([type, params]) => [type, Object.keys(params)]))).toEqual({
      Observation: ['category', 'code', 'date', 'status'],
      Condition: ['category', 'clinical-status', 'code'],
      MedicationRequest: ['status', 'intent', 'authoredon'],
      Encounter: ['status', 'date'],
      Patient: ['gender'],
    });
  });

  it.each([
    ['Observation', '_typeFilter "Observation" must be a query on an exported type, such as Observation?category=laboratory.'],
    ['Banana?status=final', '_typeFilter "Banana?status=final" must be a query on an exported type, such as Observation?category=laboratory.'],
    ['observation?status=final', '_typeFilter "observation?status=final" must be a query on an exported type, such as Observation?category=laboratory.'],
    ['?status=final', '_typeFilter "?status=final" must be a query on an exported type, such as Observation?category=laboratory.'],
    ['Observation?', '_typeFilter "Observation?" has no search parameters.'],
    [
      'Observation?banana=1',
      '_typeFilter "Observation?banana=1" uses the search parameter "banana", which is not supported for Observation (supported: category, code, date, status).',
    ],
    [
      'Observation?status=final&_count=10',
      '_typeFilter "Observation?status=final&_count=10" uses the search parameter "_count", which is not supported for Observation (supported: category, code, date, status).',
    ],
    [
      'Observation?constructor=1',
      '_typeFilter "Observation?constructor=1" uses the search parameter "constructor", which is not supported for Observation (supported: category, code, date, status).',
    ],
    [
      'Patient?toString=x',
      '_typeFilter "Patient?toString=x" uses the search parameter "toString", which is not supported for Patient (supported: gender).',
    ],
    [
      'Procedure?status=completed',
      '_typeFilter "Procedure?status=completed" uses the search parameter "status", which is not supported for Procedure (supported: none).',
    ],
    ['Observation?date=tomorrow', '_typeFilter "Observation?date=tomorrow": "tomorrow" is not a valid date value for date.'],
    ['Observation?date=2025-13', '_typeFilter "Observation?date=2025-13": "2025-13" is not a valid date value for date.'],
    ['Observation?date=2025-02-29', '_typeFilter "Observation?date=2025-02-29": "2025-02-29" is not a valid date value for date.'],
    ['Observation?date=ge2025-04-31T10:00:00Z', '_typeFilter "Observation?date=ge2025-04-31T10:00:00Z": "ge2025-04-31T10:00:00Z" is not a valid date value for date.'],
    ['Observation?date=ne2025', '_typeFilter "Observation?date=ne2025": "ne2025" is not a valid date value for date.'],
    ['Observation?date=ge', '_typeFilter "Observation?date=ge": "ge" is not a valid date value for date.'],
    [
      'Observation?date=2025-03-04T10:00:00',
      '_typeFilter "Observation?date=2025-03-04T10:00:00": "2025-03-04T10:00:00" is not a valid date value for date.',
    ],
    // An unencoded "+" in a query is a space, so an offset must be sent as %2B.
    [
      'Observation?date=ge2025-03-04T10:00:00+02:00',
      '_typeFilter "Observation?date=ge2025-03-04T10:00:00+02:00": "ge2025-03-04T10:00:00 02:00" is not a valid date value for date.',
    ],
    ['MedicationRequest?authoredon=2022,', '_typeFilter "MedicationRequest?authoredon=2022,": "" is not a valid date value for authoredon.'],
    ['Observation?status=', '_typeFilter "Observation?status=": "" is not a valid code value for status.'],
    ['Observation?status=final,', '_typeFilter "Observation?status=final,": "" is not a valid code value for status.'],
    ['Observation?status=a"b', '_typeFilter "Observation?status=a"b": "a"b" is not a valid code value for status.'],
    ['Observation?code=a+b', '_typeFilter "Observation?code=a+b": "a b" is not a valid token value for code.'],
    ['Condition?clinical-status=%09active', '_typeFilter "Condition?clinical-status=%09active": "\tactive" is not a valid token value for clinical-status.'],
  ])('refuses %j', (item, diagnostics) => {
    expect(refusal(item)).toBe(diagnostics);
  });
});

describe('typeFiltersSql', () => {
  it('is undefined for a type no filter names', () => {
    const filters = [parseTypeFilter('Observation?status=final', isType)];
    expect(typeFiltersSql('Condition', filters)).toBeUndefined();
    expect(typeFiltersSql('Observation', [])).toBeUndefined();
  });

  it('binds every value as an argument, never as SQL text', () => {
    const where = typeFiltersSql('Observation', [parseTypeFilter("Observation?status=final&category=x|it's", isType)]);
    expect(where).toEqual({ sql: expect.any(String), args: ['$.status', 'final', "it's", 'x'] });
    expect(where!.sql).not.toContain('final');
    expect(where!.sql).not.toContain("it's");
    expect(table.ids('Observation', where)).toEqual([]);
  });

  it('a code parameter compares the element', () => {
    expect(typeFiltersSql('Observation', [parseTypeFilter('Observation?status=final', isType)])).toEqual({
      sql: '(((json_extract(resource.json, ?) = ?)))',
      args: ['$.status', 'final'],
    });
    expect(select('Observation', 'Observation?status=final')).toEqual(['o1', 'o2']);
    expect(select('Observation', 'Observation?status=final,amended')).toEqual(['o1', 'o2', 'o3']);
    expect(select('Patient', 'Patient?gender=female')).toEqual(['p1']);
    expect(select('MedicationRequest', 'MedicationRequest?intent=plan')).toEqual(['m2']);
    expect(select('Encounter', 'Encounter?status=finished,in-progress')).toEqual(['e1', 'e2']);
  });

  it('a token matches any coding of any CodeableConcept of a repeating element', () => {
    expect(select('Observation', 'Observation?category=laboratory')).toEqual(['o1', 'o3', 'o4']);
    expect(select('Observation', 'Observation?category=vital-signs,social-history')).toEqual(['o2', 'o3', 'o4']);
    expect(select('Condition', 'Condition?category=encounter-diagnosis')).toEqual(['c2']);
  });

  it('a token matches the codings of a single CodeableConcept', () => {
    expect(select('Observation', 'Observation?code=8867-4')).toEqual(['o2', 'o4']);
    expect(select('Condition', 'Condition?clinical-status=active')).toEqual(['c1']);
    expect(select('Observation', 'Observation?code=no-such-code')).toEqual([]);
  });

  it('a token with a system: system|code, system| (any code) and |code (no system)', () => {
    expect(select('Observation', `Observation?category=${encodeURIComponent(`${CAT}|laboratory`)}`)).toEqual(['o1', 'o4']);
    expect(select('Observation', `Observation?category=${encodeURIComponent(`${OTHER}|laboratory`)}`)).toEqual(['o3']);
    expect(select('Observation', `Observation?category=${encodeURIComponent(`${CAT}|`)}`)).toEqual(['o1', 'o2', 'o3', 'o4']);
    expect(select('Observation', `Observation?code=${encodeURIComponent(`${LOINC}|8867-4`)}`)).toEqual(['o2']);
    expect(select('Observation', 'Observation?code=|local-1')).toEqual(['o3']);
    expect(select('Observation', 'Observation?code=|8867-4')).toEqual([]);
    expect(select('Condition', `Condition?clinical-status=${encodeURIComponent(`${CLINICAL}|resolved`)}`)).toEqual(['c2']);
  });

  it('a date covers the interval its precision stands for, in UTC', () => {
    expect(select('Observation', 'Observation?date=2025')).toEqual(['o2', 'o4']);
    expect(select('Observation', 'Observation?date=2024')).toEqual(['o1', 'o3']);
    expect(select('Observation', 'Observation?date=2025-02')).toEqual(['o4']);
    expect(select('Observation', 'Observation?date=2025-01-01')).toEqual(['o2']);
    expect(select('Observation', 'Observation?date=2024-12-31')).toEqual(['o1', 'o3']);
    expect(select('Observation', 'Observation?date=eq2025-01-01T00:00:00Z')).toEqual(['o2']);
    expect(select('Observation', 'Observation?date=2025-02-15T12:00:00.250Z')).toEqual(['o4']);
    expect(select('Observation', 'Observation?date=2025-02-15T12:00:00.251Z')).toEqual([]);
    expect(select('Observation', 'Observation?date=2025-01-01T01:00:00%2B02:00')).toEqual(['o3']);
    expect(select('Encounter', 'Encounter?date=2023')).toEqual(['e1']);
    expect(select('MedicationRequest', 'MedicationRequest?authoredon=2022-03-05')).toEqual(['m2']);
  });

  it('a date prefix compares with the start or end of that interval', () => {
    expect(select('Observation', 'Observation?date=ge2025-01-01')).toEqual(['o2', 'o4']);
    expect(select('Observation', 'Observation?date=gt2025-01-01')).toEqual(['o4']);
    expect(select('Observation', 'Observation?date=lt2025-01-01')).toEqual(['o1', 'o3']);
    expect(select('Observation', 'Observation?date=le2025-01-01')).toEqual(['o1', 'o2', 'o3']);
    expect(select('Observation', 'Observation?date=gt2024-12-31T23:00:00Z')).toEqual(['o1', 'o2', 'o4']);
    expect(select('Observation', 'Observation?date=lt2025-01-01,ge2025-02')).toEqual(['o1', 'o3', 'o4']);
    expect(select('Encounter', 'Encounter?date=lt2024')).toEqual(['e1']);
    expect(select('MedicationRequest', 'MedicationRequest?authoredon=gt2022-03-04')).toEqual(['m2']);
  });

  it('all criteria of a filter must match; any filter of the type may', () => {
    expect(select('Observation', 'Observation?category=laboratory&status=final')).toEqual(['o1']);
    expect(select('Observation', 'Observation?category=laboratory&date=2025')).toEqual(['o4']);
    expect(select('Observation', 'Observation?status=final&status=amended')).toEqual([]);
    expect(select('Observation', 'Observation?category=vital-signs', 'Observation?status=amended')).toEqual(['o2', 'o3', 'o4']);
    expect(select('Observation', 'Observation?status=cancelled', 'Observation?code=2345-7&status=final')).toEqual(['o1', 'o5']);
  });

  it("ignores other types' filters", () => {
    expect(select('Observation', 'Observation?status=final', 'Patient?gender=male')).toEqual(['o1', 'o2']);
    expect(select('Patient', 'Observation?status=final', 'Patient?gender=male')).toEqual(['p2']);
  });
});

describe('typeFilterQueries', () => {
  it.each([
    ['Observation?category=laboratory,vital-signs', ['Observation?category=laboratory,vital-signs']],
    ['MedicationRequest?status=active,completed', ['MedicationRequest?status=active,completed']],
    ['Observation?category=laboratory,Condition?clinical-status=active', ['Observation?category=laboratory', 'Condition?clinical-status=active']],
    [
      'Observation?category=laboratory,vital-signs,MedicationRequest?status=active,completed',
      ['Observation?category=laboratory,vital-signs', 'MedicationRequest?status=active,completed'],
    ],
    ['Observation?code=http://loinc.org|4548-4,http://loinc.org|2345-7', ['Observation?code=http://loinc.org|4548-4,http://loinc.org|2345-7']],
    ['', []],
  ])('%j → %j', (value, queries) => {
    expect(typeFilterQueries(value)).toEqual(queries);
  });
});
