import { describe, expect, it } from 'vitest';
import { SUBSETTED, keptElements, subsetLine } from '../../src/export/elements.js';

const sorted = (set: Set<string> | undefined) => (set ? [...set].sort() : set);

const TAG = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
};

const observation = {
  resourceType: 'Observation',
  id: 'o1',
  meta: { lastUpdated: '2025-01-01T00:00:00Z', tag: [{ system: 'http://example.org/tags', code: 'synthetic' }] },
  status: 'final',
  category: [{ coding: [{ code: 'vital-signs' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2024-12-31T23:30:00Z',
  valueQuantity: { value: 72, unit: '/min' },
};

describe('keptElements', () => {
  it('keeps what is asked, plus resourceType, id, meta and the elements R4 makes mandatory', () => {
    expect(sorted(keptElements('Observation', ['subject']))).toEqual(['code', 'id', 'meta', 'resourceType', 'status', 'subject']);
    expect(sorted(keptElements('Encounter', ['subject']))).toEqual(['class', 'id', 'meta', 'resourceType', 'status', 'subject']);
    expect(sorted(keptElements('Condition', ['code']))).toEqual(['code', 'id', 'meta', 'resourceType', 'subject']);
    expect(sorted(keptElements('Group', ['name']))).toEqual(['actual', 'id', 'meta', 'name', 'resourceType', 'type']);
  });

  it('keeps every form of a mandatory choice element', () => {
    expect(sorted(keptElements('MedicationRequest', ['id']))).toEqual([
      'id',
      'intent',
      'medicationCodeableConcept',
      'medicationReference',
      'meta',
      'resourceType',
      'status',
      'subject',
    ]);
    expect(sorted(keptElements('Immunization', ['id']))).toEqual([
      'id',
      'meta',
      'occurrenceDateTime',
      'occurrenceString',
      'patient',
      'resourceType',
      'status',
      'vaccineCode',
    ]);
  });

  it('a type with no mandatory element keeps only what is asked', () => {
    expect(sorted(keptElements('Patient', ['gender', 'birthDate']))).toEqual(['birthDate', 'gender', 'id', 'meta', 'resourceType']);
    expect(sorted(keptElements('Practitioner', ['id']))).toEqual(['id', 'meta', 'resourceType']);
  });

  it('an element named with its type applies to that type only; a bare name to every type', () => {
    const elements = ['Observation.subject', 'gender'];
    expect(sorted(keptElements('Observation', elements))).toEqual(['code', 'gender', 'id', 'meta', 'resourceType', 'status', 'subject']);
    expect(sorted(keptElements('Patient', elements))).toEqual(['gender', 'id', 'meta', 'resourceType']);
    expect(sorted(keptElements('Patient', ['Observation.subject', 'Patient.birthDate']))).toEqual(['birthDate', 'id', 'meta', 'resourceType']);
  });

  it('keeps a type whole when _elements names nothing for it', () => {
    expect(keptElements('Patient', [])).toBeUndefined();
    expect(keptElements('Patient', ['Observation.subject'])).toBeUndefined();
    expect(keptElements('Patient', ['Observation.subject', 'Encounter.period'])).toBeUndefined();
    // A prefix of another type's name is not that type.
    expect(keptElements('Observation', ['ObservationDefinition.code'])).toBeUndefined();
  });

  it('names an element once, however often it is asked', () => {
    expect(sorted(keptElements('Observation', ['status', 'id', 'Observation.status', 'subject', 'subject']))).toEqual([
      'code',
      'id',
      'meta',
      'resourceType',
      'status',
      'subject',
    ]);
  });
});

describe('subsetLine', () => {
  it('the SUBSETTED tag is the v3 ObservationValue code', () => {
    expect(SUBSETTED).toEqual(TAG);
  });

  it("keeps the kept elements in the resource's own order and appends SUBSETTED to meta.tag", () => {
    const line = subsetLine(JSON.stringify(observation), keptElements('Observation', ['subject'])!);
    expect(line).toBe(
      JSON.stringify({
        resourceType: 'Observation',
        id: 'o1',
        meta: { lastUpdated: '2025-01-01T00:00:00Z', tag: [{ system: 'http://example.org/tags', code: 'synthetic' }, TAG] },
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
        subject: { reference: 'Patient/p1' },
      }),
    );
    expect(line).not.toContain('\n');
  });

  it('gives a resource without meta or tags a meta with the one tag', () => {
    const kept = keptElements('Patient', ['gender'])!;
    expect(subsetLine('{"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1970-01-01"}', kept)).toBe(
      JSON.stringify({ resourceType: 'Patient', id: 'p1', gender: 'female', meta: { tag: [TAG] } }),
    );
    expect(subsetLine('{"resourceType":"Patient","id":"p1","meta":{"versionId":"3"},"gender":"male"}', kept)).toBe(
      JSON.stringify({ resourceType: 'Patient', id: 'p1', meta: { versionId: '3', tag: [TAG] }, gender: 'male' }),
    );
  });

  it('leaves out a kept element the resource lacks, and an unknown element keeps nothing', () => {
    const kept = keptElements('Patient', ['birthDate', 'banana'])!;
    expect(subsetLine('{"resourceType":"Patient","id":"p1","gender":"female"}', kept)).toBe(
      JSON.stringify({ resourceType: 'Patient', id: 'p1', meta: { tag: [TAG] } }),
    );
  });

  it('works on top-level elements: a nested path keeps nothing of its element', () => {
    const kept = keptElements('Patient', ['Patient.name.family'])!;
    expect(sorted(kept)).toEqual(['id', 'meta', 'name.family', 'resourceType']);
    expect(subsetLine('{"resourceType":"Patient","id":"p1","name":[{"family":"Doe"}]}', kept)).toBe(
      JSON.stringify({ resourceType: 'Patient', id: 'p1', meta: { tag: [TAG] } }),
    );
  });

  it('tags each line once, and changes neither the kept set nor the shared tag', () => {
    const kept = keptElements('Observation', ['subject'])!;
    const json = JSON.stringify(observation);
    const first = subsetLine(json, kept);
    expect(subsetLine(json, kept)).toBe(first);
    expect((JSON.parse(first) as typeof observation).meta.tag).toHaveLength(2);
    expect(sorted(kept)).toEqual(['code', 'id', 'meta', 'resourceType', 'status', 'subject']);
    expect(SUBSETTED).toEqual(TAG);
  });
});
