// The code systems and identifier systems the generator uses, by their canonical URIs
// (FHIR R4 "Terminologies": http://hl7.org/fhir/R4/terminologies-systems.html, and the
// Canadian URI registry for the Canadian identifier systems).
export const SYSTEMS = {
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  atc: 'http://www.whocc.no/atc',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  icd10ca: 'http://hl7.org/fhir/sid/icd-10-ca',
  // HL7 terminology (http://terminology.hl7.org): the value sets FHIR R4 binds these elements to.
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  actSite: 'http://terminology.hl7.org/CodeSystem/v3-ActSite',
  routeOfAdministration: 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration',
  maritalStatus: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  diagnosticServiceSection: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  performerFunction: 'http://terminology.hl7.org/CodeSystem/v2-0443',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  medicationRequestCategory: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
  courseOfTherapy: 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy',
  medicationStatementCategory: 'http://terminology.hl7.org/CodeSystem/medication-statement-category',
  organizationType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  practitionerRole: 'http://terminology.hl7.org/CodeSystem/practitioner-role',
  locationPhysicalType: 'http://terminology.hl7.org/CodeSystem/location-physical-type',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  language: 'urn:ietf:bcp:47',
} as const;

/** Identifier systems (Canadian URI registry, Canada Health Infoway). */
export const IDENTIFIER_SYSTEMS = {
  ontarioHealthCard: 'https://fhir.infoway-inforoute.ca/NamingSystem/ca-on-patient-hcn',
  ontarioPhysicianLicence: 'https://fhir.infoway-inforoute.ca/NamingSystem/ca-on-license-physician',
  ontarioNurseLicence: 'https://fhir.infoway-inforoute.ca/NamingSystem/ca-on-license-nurse',
} as const;

/** The health card version code travels beside the number (Canadian Baseline IG extension). */
export const IDENTIFIER_VERSION_EXTENSION = 'http://hl7.org/fhir/ca/baseline/StructureDefinition/ext-identifierversion';

export interface Code {
  system: string;
  code: string;
  display: string;
}
