// What a resource module gets to work with for one patient: the random stream, the patient's
// planned story, and what earlier modules recorded for later ones.
import type { Faker } from '@faker-js/faker';
import type { PanelKey } from './codes/observations.js';
import type { Clinic, Staff } from './directory.js';
import type { PopulationContext } from './population-context.js';
import type { Rng } from './rng.js';
import type { PatientStory, Visit } from './story/story-types.js';

export interface PatientContext {
  rng: Rng;
  /** en_CA names and words; `frenchFaker` for the patients with French names. */
  faker: Faker;
  frenchFaker: Faker;
  population: PopulationContext;
  index: number;
  patientId: string;
  clinic: Clinic;
  /** The family physician the patient is rostered to. */
  physician: Staff;
  story: PatientStory;
  /** Lab panels resulted (filled by the observation module, read by the report module). */
  labReports: LabReport[];
  /** What was measured at each visit, as note lines (by visit id). */
  findings: Map<string, string[]>;
}

export interface LabReport {
  id: string;
  panel: PanelKey;
  visit: Visit;
  observationIds: string[];
  collectedMs: number;
  issuedMs: number;
  /** Results outside the reference range, as note text. */
  abnormal: string[];
}
