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

const STANDARD_EXPORTABLE_TYPES: readonly string[] = [...EXPORTABLE_TYPES, 'Group'];

/**
 * The types `_type` may name in `profile`: the standard profile exports the Groups the data set
 * defines as well, like any other type. An export without `_type` holds EXPORTABLE_TYPES only
 * (the IG lets a server limit that default), so its files are the same in both profiles.
 */
export function exportableTypes(profile: 'verto' | 'standard'): readonly string[] {
  return profile === 'standard' ? STANDARD_EXPORTABLE_TYPES : EXPORTABLE_TYPES;
}
