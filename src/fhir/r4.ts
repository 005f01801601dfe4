// FHIR R4 types from @types/fhir (a global namespace), as named imports.
export type Resource = fhir4.Resource;
export type OperationOutcome = fhir4.OperationOutcome;
export type Parameters = fhir4.Parameters;
export type Patient = fhir4.Patient;
export type Practitioner = fhir4.Practitioner;
export type Organization = fhir4.Organization;
export type Encounter = fhir4.Encounter;
export type Condition = fhir4.Condition;
export type Observation = fhir4.Observation;
export type MedicationRequest = fhir4.MedicationRequest;
export type Group = fhir4.Group;
export type Bundle = fhir4.Bundle;
export type CapabilityStatement = fhir4.CapabilityStatement;
