// The resource types this server stores and exports, in the order an export without `_type`
// lists them. The generator in seed/ produces exactly these.
export const EXPORTABLE_TYPES = [
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'Encounter',
  'Condition',
  'Observation',
  'DiagnosticReport',
  'AllergyIntolerance',
  'MedicationRequest',
  'MedicationStatement',
  'Immunization',
  'Procedure',
  'FamilyMemberHistory',
  'DocumentReference',
  'CarePlan',
] as const;

export type ExportableType = (typeof EXPORTABLE_TYPES)[number];

export function isExportableType(value: string): value is ExportableType {
  return (EXPORTABLE_TYPES as readonly string[]).includes(value);
}
