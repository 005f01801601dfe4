// What a resource module gets to work with. Each patient has its own seeded faker, derived from
// the dataset seed and the patient's index, so a patient's records do not depend on how many
// came before it, and the whole population is byte-identical for the same seed and size.
import type { Faker } from '@faker-js/faker';
import type { Resource } from '../src/fhir/r4.js';
import type { DatasetParams } from '../src/config.js';

export interface GeneratedResource {
  type: Resource['resourceType'];
  id: string;
  /** The patient whose compartment holds it; null for shared resources (practitioners, clinics). */
  patientId: string | null;
  lastUpdated: string;
  resource: Resource;
}

export interface Clinic {
  organizationId: string;
  name: string;
  practitionerIds: string[];
}

export interface PopulationContext {
  params: DatasetParams;
  /** The population's "today": nothing clinical happens after it. */
  referenceDate: Date;
  clinics: Clinic[];
}

export interface PatientContext {
  faker: Faker;
  population: PopulationContext;
  index: number;
  patientId: string;
  sex: 'male' | 'female';
  birthDate: Date;
  deathDate: Date | null;
  clinic: Clinic;
  practitionerId: string;
  /** Encounters made so far for this patient, oldest first (filled by the encounter module). */
  encounters: { id: string; start: Date; end: Date; practitionerId: string }[];
  /** Conditions made so far (filled by the condition module), for the modules that follow them. */
  conditions: { id: string; key: string; onset: Date }[];
}

export const DAY_MS = 86_400_000;

export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
export const isoInstant = (d: Date): string => d.toISOString();

export function ageInYears(birth: Date, at: Date): number {
  let age = at.getUTCFullYear() - birth.getUTCFullYear();
  const m = at.getUTCMonth() - birth.getUTCMonth();
  if (m < 0 || (m === 0 && at.getUTCDate() < birth.getUTCDate())) age--;
  return age;
}
