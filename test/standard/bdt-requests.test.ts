// Requests exactly as SMART's Bulk Data Testing suite (BDT) sends them against the standard
// profile, each with the answer the Bulk Data IG gives. The suite's client sends a GET's
// parameters in the query (a list as repeated parameters) and a POST's as a Parameters body
// (`_type`, `_elements`, `_typeFilter` and `includeAssociatedData` as one `valueString` per
// value, `patient` as `valueReference` to `Patient/<id>`).
import { describe, expect, it } from 'vitest';
import { BASE } from '../helper.js';
import { finish, get, lines, post, useStandardApp } from './session.js';

useStandardApp();

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
