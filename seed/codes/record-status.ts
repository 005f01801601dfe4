// Codes from HL7's own FHIR code systems (terminology.hl7.org) for record status and
// categories, as the R4 value sets bound to these elements list them.
import { SYSTEMS, type Code } from './systems.js';

export const CONDITION_CODES = {
  active: { system: SYSTEMS.conditionClinical, code: 'active', display: 'Active' },
  resolved: { system: SYSTEMS.conditionClinical, code: 'resolved', display: 'Resolved' },
  confirmed: { system: SYSTEMS.conditionVerification, code: 'confirmed', display: 'Confirmed' },
  problemListItem: { system: SYSTEMS.conditionCategory, code: 'problem-list-item', display: 'Problem List Item' },
  encounterDiagnosis: { system: SYSTEMS.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' },
} as const satisfies Record<string, Code>;

export const MEDICATION_CODES = {
  community: { system: SYSTEMS.medicationRequestCategory, code: 'community', display: 'Community' },
  continuous: { system: SYSTEMS.courseOfTherapy, code: 'continuous', display: 'Continuous long term therapy' },
  acute: { system: SYSTEMS.courseOfTherapy, code: 'acute', display: 'Short course (acute) therapy' },
  patientSpecified: { system: SYSTEMS.medicationStatementCategory, code: 'patientspecified', display: 'Patient Specified' },
} as const satisfies Record<string, Code>;

export const ADMINISTRATIVE_GENDER = {
  male: { system: 'http://hl7.org/fhir/administrative-gender', code: 'male', display: 'Male' },
  female: { system: 'http://hl7.org/fhir/administrative-gender', code: 'female', display: 'Female' },
} as const satisfies Record<string, Code>;
