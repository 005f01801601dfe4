// Requests exactly as SMART's Bulk Data Testing suite (BDT) sends them against the standard
// profile, each with the answer the Bulk Data IG gives. The suite's client sends a GET's
// parameters in the query (a list as repeated parameters) and a POST's as a Parameters body
// (`_type`, `_elements`, `_typeFilter` and `includeAssociatedData` as one `valueString` per
// value, `patient` as `valueReference` to `Patient/<id>`).
import { describe, expect, it } from 'vitest';
import { BASE, T0, bearer, parseNdjson, pathOf, type Manifest } from '../helper.js';
import { finish, get, groupSearch, lines, post, t, token, useStandardApp } from './session.js';

useStandardApp();

/** The OperationOutcomes of a manifest's error files. */
interface Outcome {
  issue: { severity: string; code: string; diagnostics: string; expression?: string[] }[];
}

async function errorOutcomes(m: Manifest): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const e of m.error) {
    expect(e.type).toBe('OperationOutcome');
    const res = await t.app.inject({ method: 'GET', url: pathOf(e.url), headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    const rows = parseNdjson(res.body);
    expect(rows).toHaveLength(e.count);
    out.push(...(rows as unknown as Outcome[]));
  }
  return out;
}

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };

describe('_elements (BDT "Accepts the _elements parameter ...")', () => {
  /** The suite's check (expectNDJSONElements): each line has the elements, and a tag equal to {system, code}. */
  const expectSubsetted = (rows: Record<string, unknown>[]) => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['id', 'meta', 'resourceType']);
      expect((row.meta as { tag: unknown[] }).tag).toContainEqual(SUBSETTED);
    }
  };

  it('GET _elements=id,Patient.meta&_type=Patient: every line tagged {system, code}', async () => {
    const m = await finish(await get(`${BASE}/fhir/$export?_elements=id%2CPatient.meta&_type=Patient`));
    expectSubsetted(await lines(m));
  });

  it('POST with _elements and _type as valueStrings', async () => {
    const m = await finish(
      await post(`${BASE}/fhir/$export`, [
        { name: '_elements', valueString: 'id,Patient.meta' },
        { name: '_type', valueString: 'Patient' },
      ]),
    );
    expectSubsetted(await lines(m));
  });

  it('GET with _elements repeated (_elements=id&_elements=Patient.meta)', async () => {
    const m = await finish(await get(`${BASE}/fhir/Patient/$export?_elements=id&_elements=Patient.meta&_type=Patient`));
    expectSubsetted(await lines(m));
  });
});

describe('patient (BDT "Can start an export with patient parameter", "Rejects system-level export with patient parameter")', () => {
  /** The suite's POST: patient: ["123", "456"] as valueReferences, nothing else. */
  const TWO_UNKNOWN = [
    { name: 'patient', valueReference: { reference: 'Patient/123' } },
    { name: 'patient', valueReference: { reference: 'Patient/456' } },
  ];

  it('Patient level: unknown patients → 202; the export runs and reports each in the error file', async () => {
    const m = await finish(await post(`${BASE}/fhir/Patient/$export`, TWO_UNKNOWN));
    expect(m.output).toEqual([]);
    const outcomes = await errorOutcomes(m);
    expect(outcomes.map((o) => o.issue)).toEqual([
      [{ severity: 'error', code: 'not-found', diagnostics: 'patient names Patient/123, which does not exist; the export has nothing of it.', expression: ['patient'] }],
      [{ severity: 'error', code: 'not-found', diagnostics: 'patient names Patient/456, which does not exist; the export has nothing of it.', expression: ['patient'] }],
    ]);
  });

  it('Group level: an unknown patient and a non-member are reported; a member is exported', async () => {
    const [clinic, other] = await groupSearch('?name=patients%20of');
    const member = clinic!.member![0]!.entity.reference!;
    const outsider = other!.member!.map((x) => x.entity.reference!).find((r) => !clinic!.member!.some((x) => x.entity.reference === r))!;
    const m = await finish(
      await post(`${BASE}/fhir/Group/${clinic!.id!}/$export`, [
        { name: '_type', valueString: 'Patient' },
        { name: 'patient', valueReference: { reference: member } },
        { name: 'patient', valueReference: { reference: outsider } },
        { name: 'patient', valueReference: { reference: 'Patient/123' } },
      ]),
    );
    expect((await lines(m)).map((p) => `Patient/${p.id as string}`)).toEqual([member]);
    const diagnostics = (await errorOutcomes(m)).map((o) => o.issue[0]!.diagnostics);
    expect(diagnostics).toEqual([
      `patient names ${outsider}, which is not a member of Group ${clinic!.id!}; the export has nothing of it.`,
      `patient names Patient/123, which is not a member of Group ${clinic!.id!}; the export has nothing of it.`,
    ]);
  });

  it('system level: the same patients → 400 naming patient', async () => {
    const res = await post(`${BASE}/fhir/$export`, TWO_UNKNOWN);
    expect(res.statusCode).toBe(400);
    expect(res.json().issue[0]).toMatchObject({ code: 'invalid', expression: ['patient'] });
  });

  it('a malformed patient reference is still refused: 400 naming patient', async () => {
    const res = await post(`${BASE}/fhir/Patient/$export`, [{ name: 'patient', valueReference: { reference: '123' } }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().issue[0].diagnostics).toBe('patient "123" is not a Patient reference such as Patient/123.');
  });
});

describe('_typeFilter: each value is one query, a comma inside it an OR (Bulk Data IG 3.0.0)', () => {
  const ids = (rows: Record<string, unknown>[]) => rows.map((r) => `${r.resourceType as string}/${r.id as string}`).sort();
  const codes = (concepts: unknown) =>
    ((concepts as { coding?: { code?: string }[] }[] | undefined) ?? []).flatMap((c) => (c.coding ?? []).map((x) => x.code));
  const summary = (m: Manifest) => m.output.map((e) => [e.type, e.count]);
  const query = (params: [string, string][]) => new URLSearchParams(params).toString();

  const labOrVitals = (r: Record<string, unknown>) => codes(r.category).some((c) => c === 'laboratory' || c === 'vital-signs');
  const activeOrCompleted = (r: Record<string, unknown>) => r.status === 'active' || r.status === 'completed';

  // [type, the query, what it matches, one alternative of its OR alone (which matches fewer)]
  it.each([
    ['Observation', 'Observation?category=laboratory,vital-signs', labOrVitals, 'Observation?category=laboratory'],
    ['MedicationRequest', 'MedicationRequest?status=active,completed', activeOrCompleted, 'MedicationRequest?status=active'],
  ])('_type=%s&_typeFilter=%s exports exactly the matching resources', async (type, filter, matches, oneAlternative) => {
    const all = await lines(await finish(await get(`${BASE}/fhir/$export?_type=${type}`)));
    const expected = all.filter(matches);
    expect(expected.length).toBeGreaterThan(0);
    const filtered = await lines(await finish(await get(`${BASE}/fhir/$export?${query([['_type', type], ['_typeFilter', filter]])}`)));
    expect(ids(filtered)).toEqual(ids(expected));
    const narrower = await lines(await finish(await get(`${BASE}/fhir/$export?${query([['_type', type], ['_typeFilter', oneAlternative]])}`)));
    expect(narrower.length).toBeGreaterThan(0);
    expect(narrower.length).toBeLessThan(filtered.length);
  });

  it('a 2.0.0-style comma list and the same queries as repeated parameters give identical manifests', async () => {
    const queries = ['Observation?category=laboratory,vital-signs', 'Condition?clinical-status=active', 'MedicationRequest?status=active,completed'];
    const types: [string, string] = ['_type', 'Observation,Condition,MedicationRequest,Patient'];
    const list = await finish(await get(`${BASE}/fhir/$export?${query([types, ['_typeFilter', queries.join(',')]])}`));
    const repeated = await finish(await get(`${BASE}/fhir/$export?${query([types, ...queries.map((q): [string, string] => ['_typeFilter', q])])}`));
    expect(summary(list)).toEqual(summary(repeated));
    expect(list.error).toEqual([]);
    const unfiltered = await finish(await get(`${BASE}/fhir/$export?${query([types])}`));
    expect(summary(list)).not.toEqual(summary(unfiltered));
    // Patient has no filter: all of it.
    expect((await lines(list, 'Patient')).length).toBe((await lines(unfiltered, 'Patient')).length);
  });

  it('the same, in a POST: one valueString per query', async () => {
    const res = await post(`${BASE}/fhir/$export`, [
      { name: '_type', valueString: 'Observation' },
      { name: '_typeFilter', valueString: 'Observation?category=laboratory,vital-signs' },
    ]);
    const m = await finish(res);
    const rows = await lines(m);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(codes(r.category).some((c) => c === 'laboratory' || c === 'vital-signs')).toBe(true);
  });
});

describe('Group in _type (BDT "Accepts multiple _type parameters")', () => {
  /** The suite takes the first two types of the CapabilityStatement, and sends them as repeated _type. */
  async function firstTwoTypes(): Promise<string[]> {
    const res = await get(`${BASE}/fhir/metadata`, {});
    expect(res.statusCode).toBe(200);
    return (res.json().rest[0].resource as { type: string }[]).map((r) => r.type).slice(0, 2);
  }

  it('the first two types are Patient and Group; every level accepts them', async () => {
    const types = await firstTwoTypes();
    expect(types).toEqual(['Patient', 'Group']);
    const group = (await groupSearch('?name=patients%20of'))[0]!;
    const query = types.map((type) => `_type=${type}`).join('&');
    for (const path of ['$export', 'Patient/$export', `Group/${group.id!}/$export`]) {
      const res = await get(`${BASE}/fhir/${path}?${query}`);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(202);
    }
  });

  it('a system-level export of Group holds every Group the data set defines, after Patient', async () => {
    const m = await finish(await get(`${BASE}/fhir/$export?_type=Patient&_type=Group`));
    expect([...new Set(m.output.map((e) => e.type))]).toEqual(['Patient', 'Group']);
    const groups = await lines(m, 'Group');
    const searched = await groupSearch('');
    expect(groups.map((g) => g.id).sort()).toEqual(searched.map((g) => g.id).sort());
    expect(m.error).toEqual([]);
  });

  it('without _type, the export holds the same types as before (no Group)', async () => {
    const m = await finish(await get(`${BASE}/fhir/$export`));
    expect(m.output.some((e) => e.type === 'Group')).toBe(false);
  });
});

describe('includeAssociatedData (BDT "Accepts the includeAssociatedData parameter", "... as comma separated list", "Accepts multiple includeAssociatedData parameters")', () => {
  const LATEST = 'LatestProvenanceResources';
  const RELEVANT = 'RelevantProvenanceResources';
  const targetsOf = (rows: Record<string, unknown>[]) => rows.map((p) => (p.target as { reference: string }[]).map((x) => x.reference));
  const refs = (rows: Record<string, unknown>[]) => new Set(rows.map((r) => `${r.resourceType as string}/${r.id as string}`));

  it.each([
    ['one value', `includeAssociatedData=${LATEST}`],
    ['a comma-separated list', `includeAssociatedData=${LATEST}%2C${RELEVANT}`],
    ['the parameter repeated', `includeAssociatedData=${LATEST}&includeAssociatedData=${RELEVANT}`],
  ])('%s → 202 at every level', async (_what, query) => {
    const group = (await groupSearch('?name=patients%20of'))[0]!;
    for (const path of ['$export', 'Patient/$export', `Group/${group.id!}/$export`]) {
      const res = await get(`${BASE}/fhir/${path}?${query}`);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(202);
    }
  });

  it('Latest: each exported Patient with its latest Provenance only, after the asked-for types', async () => {
    const m = await finish(await get(`${BASE}/fhir/$export?_type=Patient&includeAssociatedData=${LATEST}`));
    expect([...new Set(m.output.map((e) => e.type))]).toEqual(['Patient', 'Provenance']);
    const patients = refs(await lines(m, 'Patient'));
    const provenance = await lines(m, 'Provenance');
    expect(targetsOf(provenance).every((t) => t.length === 1)).toBe(true);
    expect(new Set(targetsOf(provenance).flat())).toEqual(patients);
    expect(provenance).toHaveLength(patients.size);
    expect(m.error).toEqual([]);
  });

  it('Relevant: every Provenance naming an exported resource (two per Patient)', async () => {
    const m = await finish(await get(`${BASE}/fhir/$export?_type=Patient&includeAssociatedData=${RELEVANT}`));
    const patients = refs(await lines(m, 'Patient'));
    const provenance = await lines(m, 'Provenance');
    expect(provenance).toHaveLength(2 * patients.size);
    for (const targets of targetsOf(provenance)) expect(targets.some((t) => patients.has(t))).toBe(true);
  });

  it('follows the export: only the Provenance of what the selection exports (patient, _typeFilter)', async () => {
    const patient = (await lines(await finish(await get(`${BASE}/fhir/Patient/$export?_type=Patient`))))[0]!;
    const m = await finish(
      await post(`${BASE}/fhir/Patient/$export`, [
        { name: '_type', valueString: 'Condition' },
        { name: 'patient', valueReference: { reference: `Patient/${patient.id as string}` } },
        { name: 'includeAssociatedData', valueCode: RELEVANT },
      ]),
    );
    const conditions = refs(await lines(m, 'Condition'));
    expect(conditions.size).toBeGreaterThan(0);
    const provenance = await lines(m, 'Provenance');
    // The creation Provenance of that patient's records, which names each of its Conditions.
    expect(provenance).toHaveLength(1);
    const targets = new Set(targetsOf(provenance)[0]);
    for (const c of conditions) expect(targets.has(c)).toBe(true);
    expect(targets.has(`Patient/${patient.id as string}`)).toBe(true);
  });

  it('an unsupported value is ignored and reported in the error file; with Prefer: handling=strict → 400', async () => {
    const m = await finish(await get(`${BASE}/fhir/$export?_type=Patient&includeAssociatedData=_bananas`));
    expect(m.output.map((e) => e.type)).toEqual(['Patient']);
    const outcomes = await errorOutcomes(m);
    expect(outcomes.map((o) => o.issue[0]!.diagnostics)).toEqual([
      'includeAssociatedData "_bananas" is not supported by this server (supported: LatestProvenanceResources, RelevantProvenanceResources). It was ignored.',
    ]);
    const strict = await get(`${BASE}/fhir/$export?_type=Patient&includeAssociatedData=_bananas`, {
      accept: 'application/fhir+json',
      prefer: 'respond-async, handling=strict',
    });
    expect(strict.statusCode).toBe(400);
    expect(strict.json().issue[0]).toMatchObject({ code: 'not-supported', expression: ['includeAssociatedData'] });
    const strictSupported = await get(`${BASE}/fhir/$export?_type=Patient&includeAssociatedData=${LATEST}`, {
      accept: 'application/fhir+json',
      prefer: 'respond-async, handling=strict',
    });
    expect(strictSupported.statusCode).toBe(202);
  });
});

describe('lenient errors (BDT "Includes lenient errors in the payload errors array")', () => {
  // The suite looks for a parameter this server refuses, trying _typeFilter=Patient?status=active
  // first (with _since a day before now), then repeats it with handling=lenient and reads the
  // manifest's `error` array. The IG makes `error` a list of file items ({type, url}) whose
  // NDJSON files hold the OperationOutcomes; the suite looks for OperationOutcomes in the array
  // itself, which no IG-conformant manifest has. The server gives the IG's answer.
  const since = new Date(T0 - 86_400_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const query = new URLSearchParams([
    ['_typeFilter', 'Patient?status=active'],
    ['_since', since],
  ]).toString();

  it('the strict kick-off is refused, naming _typeFilter', async () => {
    const res = await get(`${BASE}/fhir/$export?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().issue[0].expression).toEqual(['_typeFilter']);
  });

  it('the lenient one runs; its error file holds an OperationOutcome naming _typeFilter', async () => {
    const m = await finish(await get(`${BASE}/fhir/$export?${query}`, { accept: 'application/fhir+json', prefer: 'respond-async, handling=lenient' }));
    expect(m.error).toEqual([{ type: 'OperationOutcome', url: expect.stringMatching(/^http:\/\//), count: 1 }]);
    const [outcome] = await errorOutcomes(m);
    expect(outcome!.issue[0]!.diagnostics).toContain('_typeFilter "Patient?status=active" uses the search parameter "status"');
  });
});
