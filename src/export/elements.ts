// `_elements` (standard profile): each resource keeps only the elements asked for, plus the
// ones FHIR R4 makes mandatory for its type, and is tagged SUBSETTED.

/** Top-level elements with a minimum cardinality of 1 in FHIR R4, per type. */
const MANDATORY: Record<string, string[]> = {
  AllergyIntolerance: ['patient'],
  CarePlan: ['status', 'intent', 'subject'],
  Condition: ['subject'],
  DiagnosticReport: ['status', 'code'],
  DocumentReference: ['status', 'content'],
  Encounter: ['status', 'class'],
  FamilyMemberHistory: ['status', 'patient', 'relationship'],
  Group: ['type', 'actual'],
  Immunization: ['status', 'vaccineCode', 'patient', 'occurrenceDateTime', 'occurrenceString'],
  MedicationRequest: ['status', 'intent', 'subject', 'medicationCodeableConcept', 'medicationReference'],
  MedicationStatement: ['status', 'subject', 'medicationCodeableConcept', 'medicationReference'],
  Observation: ['status', 'code'],
  Procedure: ['status', 'subject'],
  Provenance: ['target', 'recorded', 'agent'],
};

const ALWAYS = ['resourceType', 'id', 'meta'];

/** The tag as the FHIR spec's own examples write it: `system` and `code`, no `display`. */
export const SUBSETTED = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
};

/** The elements kept for `type`, or undefined when `_elements` names nothing for it (kept whole). */
export function keptElements(type: string, elements: readonly string[]): Set<string> | undefined {
  const asked = elements
    .map((e) => (e.includes('.') ? (e.startsWith(`${type}.`) ? e.slice(type.length + 1) : undefined) : e))
    .filter((e): e is string => e !== undefined);
  if (asked.length === 0 && elements.every((e) => e.includes('.'))) return undefined;
  return new Set([...ALWAYS, ...(MANDATORY[type] ?? []), ...asked]);
}

/** One NDJSON line reduced to the kept elements and tagged SUBSETTED. */
export function subsetLine(json: string, kept: Set<string>): string {
  const resource = JSON.parse(json) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) if (kept.has(key)) out[key] = value;
  const meta = { ...((out.meta as Record<string, unknown> | undefined) ?? {}) };
  meta.tag = [...((meta.tag as unknown[] | undefined) ?? []), SUBSETTED];
  out.meta = meta;
  return JSON.stringify(out);
}
